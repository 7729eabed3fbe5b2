import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { formatZodError } from '../../../shared/errors';
import { SettingsError } from '../errors';
import { writeFileAtomic } from './atomic-write';

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
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;

export const SETTINGS_FILE = 'settings.json';

export function settingsPath(dataDir: string): string {
  return join(dataDir, SETTINGS_FILE);
}

// A missing file means defaults; a broken one is an error that names the file and leaves it as
// it is, so a typo never costs the user their settings.
export async function loadSettings(dataDir: string): Promise<Settings> {
  const file = settingsPath(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return settingsSchema.parse({});
    throw new SettingsError(file, (error as Error).message, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SettingsError(file, `not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = settingsSchema.safeParse(json);
  if (!parsed.success) throw new SettingsError(file, formatZodError(parsed.error));
  return parsed.data;
}

export async function saveSettings(dataDir: string, settings: Settings): Promise<void> {
  const checked = settingsSchema.parse(settings);
  await writeFileAtomic(settingsPath(dataDir), `${JSON.stringify(checked, null, 2)}\n`);
}
