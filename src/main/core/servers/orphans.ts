import type Docker from 'dockerode';
import type { Orphan } from '../../../shared/servers';
import { toDockerError } from '../docker/docker-errors';
import type { EngineMonitor } from '../docker/engine-monitor';
import { bareContainerName } from '../docker/inspect-container';
import { EGRESS_FOR, INSTANCE, MANAGED, MODE, SERVER } from '../docker/labels';
import { requireDocker } from '../docker/require-docker';
import { LeftoverRefusedError } from '../errors';
import type { ContainerOwnership } from './container-ownership';
import type { ServerRegistry } from './server-registry';

// States in which a container may be doing work: never called safe to remove.
const ACTIVE_STATES = new Set(['running', 'restarting', 'paused']);

export interface OrphansDeps {
  engine: EngineMonitor;
  registry: ServerRegistry;
  ownership: ContainerOwnership;
}

// Left-over containers: MCP Dock's, but of no server it has now (a crash, a server removed while
// the engine was away). Listed per instance; removed only when nothing runs in them.
export class Orphans {
  constructor(private readonly deps: OrphansDeps) {}

  async list(): Promise<Orphan[]> {
    const { engine, registry, ownership } = this.deps;
    const docker = requireDocker(engine);
    const known = new Map(registry.list().map(({ spec }) => [spec.name, ownership.containerName(spec)]));
    let all: Docker.ContainerInfo[];
    try {
      all = await docker.listContainers({ all: true, filters: { label: [`${MANAGED}=true`] } });
    } catch (error) {
      throw toDockerError('list', 'containers', error);
    }
    const orphans: Orphan[] = [];
    for (const c of all) {
      const owner = c.Labels[INSTANCE];
      // Another data directory's containers are its business, running or not.
      if (owner !== undefined && owner !== ownership.instance) continue;
      // A proxy of an allow-listed server belongs to that server while it is registered.
      const proxyOf = c.Labels[EGRESS_FOR];
      if (proxyOf !== undefined && known.has(proxyOf)) continue;
      const server = c.Labels[SERVER] ?? proxyOf ?? '';
      const name = bareContainerName(c.Names[0] ?? c.Id);
      const active = ACTIVE_STATES.has(c.State);
      if (c.Labels[MODE] === 'run' && active) continue; // a client's session in progress
      if (known.get(server) === name) continue;
      orphans.push({
        id: c.Id,
        name,
        server,
        state: c.State,
        owner: owner === undefined ? 'unknown' : 'this',
        // Only what this instance made and nothing runs in: a running container may be doing
        // someone's work, and one without the instance label may be another MCP Dock's.
        safeToRemove: owner !== undefined && !active,
      });
    }
    return orphans;
  }

  async remove(idOrName: string): Promise<void> {
    const docker = requireDocker(this.deps.engine);
    const orphan = (await this.list()).find((o) => o.id === idOrName || o.name === idOrName);
    if (!orphan) throw new LeftoverRefusedError(idOrName, 'not-ours');
    if (ACTIVE_STATES.has(orphan.state)) throw new LeftoverRefusedError(orphan.name, orphan.state);
    // Without force: should it have started since the check, the engine refuses rather than kill it.
    await docker
      .getContainer(orphan.id)
      .remove()
      .catch((error: unknown) => {
        throw toDockerError('remove', orphan.name, error);
      });
  }
}
