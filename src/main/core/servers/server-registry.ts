import { join } from 'node:path';
import { z } from 'zod';
import { serverSpecSchema, type ServerSpec, type ServerSpecInput } from '../../../shared/servers';
import { ReadOnlyServerError, ServerExistsError, ServerGoneError, ServerNotFoundError } from '../errors';
import { OwnWrites, storeLoader } from '../store/json-file';
import { ServerNames } from './server-names';

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
  // Re-reads servers.json if someone else wrote it since; true when the list changed. Actions
  // call this first, so they never act on a server that another process already removed.
  sync(): Promise<boolean>;
}

// Built-in catalog entries plus the user's own, kept in servers.json in the data directory.
// Names are unique across both, because they become container names and snippet keys.
export async function openServerRegistry(
  dataDir: string,
  catalog: ServerSpec[],
  names: ServerNames = new ServerNames(),
): Promise<ServerRegistry> {
  const file = join(dataDir, 'servers.json');
  const own = new OwnWrites(file);
  const read = storeLoader(file, userServersSchema, () => ({ version: 1 as const, servers: [] }));
  const load = async () => (await read()).servers;
  let user = await load();

  // Writes and reloads take turns: a reload landing between a write and its in-memory swap
  // would put the old list back.
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const next = turn.then(work);
    turn = next.catch(() => undefined);
    return next;
  };
  // After a sync: "gone" when another process removed a server this list still had.
  const missing = (name: string, knew: boolean) =>
    knew ? new ServerGoneError(name) : new ServerNotFoundError(name);
  const syncNow = async (): Promise<boolean> => {
    if (await own.holdsOwnWrite()) return false;
    const before = JSON.stringify(user);
    user = await load();
    return JSON.stringify(user) !== before;
  };

  const find = (name: string): RegisteredServer | undefined => {
    const fromCatalog = catalog.find((s) => s.name === name);
    if (fromCatalog) return { spec: fromCatalog, source: 'catalog' };
    const mine = user.find((s) => s.name === name);
    return mine ? { spec: mine, source: 'user' } : undefined;
  };
  const takenElsewhere = names.join('containers', (name) => find(name)?.source);

  // A user server as it is on disk now (the catalog's cannot be changed).
  const editableNow = async (name: string): Promise<RegisteredServer> => {
    const knew = find(name) !== undefined;
    await syncNow();
    const current = find(name);
    if (!current) throw missing(name, knew);
    if (current.source === 'catalog') throw new ReadOnlyServerError(name);
    return current;
  };

  // Write first, then swap the in-memory list: a failed write leaves both as they were.
  const persist = async (next: ServerSpec[]) => {
    await own.save({ version: 1, servers: next });
    user = next;
  };

  // Each change starts from what is on disk: a stale list written back would undo what the CLI
  // did meanwhile (bring back a server it removed).
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
    add: (input) =>
      inTurn(async () => {
        const spec = serverSpecSchema.parse(input);
        await syncNow();
        const existing = find(spec.name)?.source ?? takenElsewhere(spec.name);
        if (existing) throw new ServerExistsError(spec.name, existing);
        await persist([...user, spec]);
        return { spec, source: 'user' as const };
      }),
    update: (name, input) =>
      inTurn(async () => {
        await editableNow(name);
        const spec = serverSpecSchema.parse(input);
        if (spec.name !== name) {
          const clash = find(spec.name)?.source ?? takenElsewhere(spec.name);
          if (clash) throw new ServerExistsError(spec.name, clash);
        }
        await persist(user.map((s) => (s.name === name ? spec : s)));
        return { spec, source: 'user' as const };
      }),
    reload: () =>
      inTurn(async () => {
        user = await load();
      }),
    holdsOwnWrite: () => own.holdsOwnWrite(),
    sync: () => inTurn(syncNow),
    remove: (name) =>
      inTurn(async () => {
        await editableNow(name);
        await persist(user.filter((s) => s.name !== name));
      }),
  };
}
