import { ServerGoneError } from '../errors';
import type { Placements } from './placements';
import type { RegisteredServer, ServerRegistry } from './server-registry';
import type { ServerState } from './server-state';

export interface ServerOnDiskDeps {
  registry: ServerRegistry;
  placements: Placements;
  state: ServerState;
}

// The server as it is on disk now. The file watcher follows other processes only after a
// moment (and not at all where the filesystem cannot be watched), so every action looks first:
// a server the CLI removed must not get a container.
export async function serverOnDisk(deps: ServerOnDiskDeps, name: string): Promise<RegisteredServer> {
  const { registry, placements, state } = deps;
  const known = registry.list().some(({ spec }) => spec.name === name);
  await placements.sync();
  if (await registry.sync()) state.emit();
  try {
    return registry.get(name);
  } catch (error) {
    throw known ? new ServerGoneError(name) : error;
  }
}
