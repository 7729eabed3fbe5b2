import { join } from 'node:path';
import { z } from 'zod';
import { OFFICIAL_REGISTRY, registryUrlSchema } from '../../../shared/registry';
import { SettingsError } from '../errors';
import { loadJsonFile, saveJsonFile } from './json-file';

export const DEFAULT_HTTP_HOST = '127.0.0.1';
export const DEFAULT_HTTP_PORT = 8081;

const imageSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\s]+$/, 'an image reference has no spaces');

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
        // Failed client authentications (token, introspection, revocation) allowed per client id
        // and per source address, in a minute; past them 429 with Retry-After.
        failedAuthPerClientPerMinute: z.number().int().min(1).max(10_000).default(10),
        failedAuthPerSourcePerMinute: z.number().int().min(1).max(100_000).default(60),
        // Self-registrations (RFC 7591) per source address in a minute, how many never-used ones
        // are kept, and for how long.
        registrationsPerMinute: z.number().int().min(1).max(10_000).default(20),
        maxUnusedRegistrations: z.number().int().min(1).max(100_000).default(50),
        unusedRegistrationTtlSeconds: z.number().int().min(60).max(2_592_000).default(3600),
      })
      .strict()
      // Parsed, so every field gets its default.
      .prefault({}),
    egress: z
      .object({
        // What allow-listed servers' proxies run in: any image with `node` on its PATH.
        proxyImage: z
          .string()
          .min(1)
          .max(255)
          .regex(/^[^\s]+$/)
          .default('node:20-alpine'),
      })
      .strict()
      .prefault({}),
    // Where the Catalog finds servers: MCP Registry API endpoints, the first one by default.
    registry: z
      .object({
        urls: z.array(registryUrlSchema).min(1).max(20).default([OFFICIAL_REGISTRY]),
        // A curated setup: browsing or installing from any other registry is refused.
        onlyThese: z.boolean().default(false),
        // What npm packages run in (with npx), and PyPI packages (with uvx).
        nodeImage: imageSchema.default('node:24-slim'),
        pythonImage: imageSchema.default('ghcr.io/astral-sh/uv:python3.12-bookworm-slim'),
      })
      .strict()
      .prefault({}),
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
