import { join } from 'node:path';
import { z } from 'zod';
import { serverSpecSchema, type ServerSpec, type ServerSpecInput } from '../../../shared/servers';
import { ReadOnlyServerError, ServerExistsError, ServerNotFoundError } from '../errors';
import { OwnWrites, storeLoader } from '../store/json-file';

const userServersSchema = z.object({ version: z.literal(1), servers: z.array(serverSpecSchema) }).strict();

export interface RegisteredServer {
  spec: ServerSpec;
  source: 'catalog' | 'user';
}

export interface ServerRegistry {
  list(): RegisteredServer[];
  get(name: string): RegisteredServer;
  add(input: ServerSpecInput): Promise<RegisteredServer>;
  // Replaces a user server's whole spec; renaming is allowed when the new name is free.
  update(name: string, input: ServerSpecInput): Promise<RegisteredServer>;
  remove(name: string): Promise<void>;
  // Re-reads servers.json after another process (the CLI) changed it.
  reload(): Promise<void>;
  holdsOwnWrite(): Promise<boolean>;
}

// Built-in catalog entries plus the user's own, kept in servers.json in the data directory.
// Names are unique across both, because they become container names and snippet keys.
export async function openServerRegistry(dataDir: string, catalog: ServerSpec[]): Promise<ServerRegistry> {
  const file = join(dataDir, 'servers.json');
  const own = new OwnWrites(file);
  const read = storeLoader(file, userServersSchema, () => ({ version: 1 as const, servers: [] }));
  const load = async () => (await read()).servers;
  let user = await load();

  const find = (name: string): RegisteredServer | undefined => {
    const fromCatalog = catalog.find((s) => s.name === name);
    if (fromCatalog) return { spec: fromCatalog, source: 'catalog' };
    const mine = user.find((s) => s.name === name);
    return mine ? { spec: mine, source: 'user' } : undefined;
  };

  // Write first, then swap the in-memory list: a failed write leaves both as they were.
  const persist = async (next: ServerSpec[]) => {
    await own.save({ version: 1, servers: next });
    user = next;
  };

  return {
    list: () => [
      ...catalog.map((spec) => ({ spec, source: 'catalog' as const })),
      ...user.map((spec) => ({ spec, source: 'user' as const })),
    ],
    get(name) {
      const found = find(name);
      if (!found) throw new ServerNotFoundError(name);
      return found;
    },
    async add(input) {
      const spec = serverSpecSchema.parse(input);
      const existing = find(spec.name);
      if (existing) throw new ServerExistsError(spec.name, existing.source);
      await persist([...user, spec]);
      return { spec, source: 'user' };
    },
    async update(name, input) {
      const current = find(name);
      if (!current) throw new ServerNotFoundError(name);
      if (current.source === 'catalog') throw new ReadOnlyServerError(name);
      const spec = serverSpecSchema.parse(input);
      if (spec.name !== name) {
        const clash = find(spec.name);
        if (clash) throw new ServerExistsError(spec.name, clash.source);
      }
      await persist(user.map((s) => (s.name === name ? spec : s)));
      return { spec, source: 'user' };
    },
    async reload() {
      user = await load();
    },
    holdsOwnWrite: () => own.holdsOwnWrite(),
    async remove(name) {
      const current = find(name);
      if (!current) throw new ServerNotFoundError(name);
      if (current.source === 'catalog') throw new ReadOnlyServerError(name);
      await persist(user.filter((s) => s.name !== name));
    },
  };
}
