import { z } from 'zod';
import { remoteViewSchema } from './remotes';
import { serverNameSchema, serverViewSchema } from './servers';

export const OFFICIAL_REGISTRY = 'https://registry.modelcontextprotocol.io';

export const registryUrlSchema = z
  .string()
  .max(2048)
  .pipe(z.url({ protocol: /^https?$/, error: 'a registry as an http:// or https:// URL' }))
  .transform((url) => url.replace(/\/+$/, ''));

// What one environment variable or header of an entry asks for: a form field, and a secret when
// it says so (its value then goes to the secret store).
export const catalogInputSchema = z.object({
  name: z.string(),
  // Where the value goes: the container's environment, the server's command line, the remote's
  // URL or a header to it.
  source: z.enum(['env', 'argument', 'url', 'header']),
  description: z.string().optional(),
  required: z.boolean(),
  secret: z.boolean(),
  default: z.string().optional(),
  choices: z.array(z.string()).optional(),
});
export type CatalogInput = z.infer<typeof catalogInputSchema>;

// How an entry can be installed: a package run in a container (oci: its own image; npm: npx in a
// Node image; pypi: uvx in a Python image) or a remote endpoint.
export const installKindSchema = z.enum(['oci', 'npm', 'pypi', 'remote']);
export type InstallKind = z.infer<typeof installKindSchema>;

export const catalogOptionSchema = z.object({
  kind: installKindSchema,
  // The package (name@version, image) or the remote's URL.
  target: z.string(),
  transport: z.string(),
  inputs: z.array(catalogInputSchema),
  // Why it cannot be installed here (a package type MCP Dock does not run), when it cannot.
  unsupported: z.string().optional(),
});
export type CatalogOption = z.infer<typeof catalogOptionSchema>;

export const catalogEntrySchema = z.object({
  // The registry's name (reverse DNS, e.g. io.github.user/weather).
  name: z.string(),
  title: z.string().optional(),
  description: z.string(),
  version: z.string().optional(),
  repository: z.string().optional(),
  websiteUrl: z.string().optional(),
  options: z.array(catalogOptionSchema),
  // The name it gets here unless the user picks another.
  suggestedName: z.string(),
});
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

export const catalogSearchInputSchema = z
  .object({
    text: z.string().max(200).optional(),
    registry: registryUrlSchema.optional(),
    cursor: z.string().max(2000).optional(),
    limit: z.number().int().min(1).max(100).optional(),
  })
  .strict();
export type CatalogSearchInput = z.infer<typeof catalogSearchInputSchema>;

export const catalogPageSchema = z.object({
  registry: z.string(),
  entries: z.array(catalogEntrySchema),
  nextCursor: z.string().optional(),
  // registry: asked just now. cache: the last listing kept on disk (offline, or fresh enough).
  source: z.enum(['registry', 'cache']),
  fetchedAt: z.string(),
  // The cache is older than a day, or the registry could not be asked (error says why).
  stale: z.boolean(),
  error: z.string().optional(),
});
export type CatalogPage = z.infer<typeof catalogPageSchema>;

export const catalogAddInputSchema = z
  .object({
    entry: z.string().min(1).max(300),
    as: serverNameSchema.optional(),
    registry: registryUrlSchema.optional(),
    kind: installKindSchema.optional(),
    // Values for the entry's inputs (environment variables, headers, URL variables); secret ones
    // go to the secret store.
    values: z.record(z.string(), z.string().max(16_384)).optional(),
  })
  .strict();
export type CatalogAddInput = z.infer<typeof catalogAddInputSchema>;

export const catalogAddedSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('container'), server: serverViewSchema }),
  z.object({ kind: z.literal('remote'), remote: remoteViewSchema }),
]);
export type CatalogAdded = z.infer<typeof catalogAddedSchema>;

export const catalogRegistriesSchema = z.object({
  registries: z.array(z.string()),
  // Only these may be browsed or installed from (a curated registry).
  onlyThese: z.boolean(),
});

// A full listing being fetched into the cache.
export const catalogProgressSchema = z.object({
  registry: z.string(),
  fetched: z.number().int().min(0),
  done: z.boolean(),
  error: z.string().optional(),
});
export type CatalogProgress = z.infer<typeof catalogProgressSchema>;
