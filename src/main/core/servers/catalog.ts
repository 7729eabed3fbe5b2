import { z } from 'zod';
import catalogJson from '../../../../resources/catalog.json';
import { formatZodError } from '../../../shared/errors';
import { serverSpecSchema, type ServerSpec } from '../../../shared/servers';
import { CatalogInvalidError } from '../errors';

export const catalogSchema = z
  .object({
    version: z.literal(1),
    servers: z.array(serverSpecSchema),
  })
  .strict()
  .superRefine((catalog, ctx) => {
    const seen = new Set<string>();
    for (const [i, server] of catalog.servers.entries()) {
      if (seen.has(server.name))
        ctx.addIssue({
          code: 'custom',
          path: ['servers', i, 'name'],
          message: `duplicate name ${server.name}`,
        });
      seen.add(server.name);
    }
  });

// The built-in servers from the guide. Validated when loaded: a bad catalog is a build defect,
// and the unit tests catch it before anyone ships it.
export function parseCatalog(raw: unknown): ServerSpec[] {
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success) throw new CatalogInvalidError(formatZodError(parsed.error));
  return parsed.data.servers;
}

export function builtInCatalog(): ServerSpec[] {
  return parseCatalog(catalogJson);
}
