import { join } from 'node:path';
import { z } from 'zod';
import { serverNameSchema } from '../../../shared/servers';
import { OwnWrites, storeLoader } from '../store/json-file';

// Where each server's container lives when it is not the default: a name the user picked to
// resolve a clash ("rename"), or a container MCP Dock did not create but was told to use ("adopt").
const placementSchema = z.object({ containerName: serverNameSchema, adopted: z.boolean() }).strict();
const fileSchema = z
  .object({ version: z.literal(1), servers: z.record(z.string(), placementSchema) })
  .strict();
export type Placement = z.infer<typeof placementSchema>;

export interface Placements {
  get(server: string): Placement | undefined;
  set(server: string, placement: Placement): Promise<void>;
  clear(server: string): Promise<void>;
  reload(): Promise<void>;
  holdsOwnWrite(): Promise<boolean>;
  // Re-reads placements.json if someone else (the CLI) wrote it since.
  sync(): Promise<void>;
}

export async function openPlacements(dataDir: string): Promise<Placements> {
  const file = join(dataDir, 'placements.json');
  const own = new OwnWrites(file);
  const read = storeLoader(file, fileSchema, () => ({ version: 1 as const, servers: {} }));
  const load = async () => (await read()).servers;
  let servers = await load();
  const persist = async (next: typeof servers) => {
    await own.save({ version: 1, servers: next });
    servers = next;
  };
  return {
    get: (server) => servers[server],
    async reload() {
      servers = await load();
    },
    holdsOwnWrite: () => own.holdsOwnWrite(),
    async sync() {
      if (!(await own.holdsOwnWrite())) servers = await load();
    },
    set: (server, placement) => persist({ ...servers, [server]: placement }),
    async clear(server) {
      if (!(server in servers)) return;
      const next = { ...servers };
      delete next[server];
      await persist(next);
    },
  };
}
