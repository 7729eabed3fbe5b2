import { join } from 'node:path';
import { z } from 'zod';
import { SettingsError } from '../errors';
import { loadJsonFile, saveJsonFile } from './json-file';

export const DEFAULT_HTTP_HOST = '127.0.0.1';
export const DEFAULT_HTTP_PORT = 8081;

export const settingsSchema = z
  .object({
    http: z
      .object({
        port: z.number().int().min(0).max(65535).default(DEFAULT_HTTP_PORT),
      })
      .strict()
      .default({ port: DEFAULT_HTTP_PORT }),
    oauth: z
      .object({
        // Lifetime of access tokens; the guide's 1800 s unless set.
        accessTokenTtlSeconds: z.number().int().min(60).max(86_400).default(1800),
      })
      .strict()
      .default({ accessTokenTtlSeconds: 1800 }),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;

export const SETTINGS_FILE = 'settings.json';

export function settingsPath(dataDir: string): string {
  return join(dataDir, SETTINGS_FILE);
}

export function loadSettings(dataDir: string): Promise<Settings> {
  const file = settingsPath(dataDir);
  return loadJsonFile(
    file,
    settingsSchema,
    () => settingsSchema.parse({}),
    (reason, cause) => new SettingsError(file, reason, { cause }),
  );
}

export async function saveSettings(dataDir: string, settings: z.input<typeof settingsSchema>): Promise<void> {
  await saveJsonFile(settingsPath(dataDir), settingsSchema.parse(settings));
}
