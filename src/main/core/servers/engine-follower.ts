import type { ServerView } from '../../../shared/servers';
import type { EngineMonitor } from '../docker/engine-monitor';
import { inspectContainer } from '../docker/inspect-container';
import type { ContainerOwnership } from './container-ownership';
import type { ServerRegistry } from './server-registry';
import type { EgressProxies } from '../docker/egress/egress-proxies';
import type { ServerLogs } from './server-logs';
import type { ServerState } from './server-state';

export interface EngineFollowerDeps {
  engine: EngineMonitor;
  registry: ServerRegistry;
  state: ServerState;
  ownership: ContainerOwnership;
  logs: ServerLogs;
  egress: EgressProxies;
}

// Keeps the servers' state true to the engine: re-reads every server's container when the
// engine reports a container event or comes back, so a container stopped from outside shows as
// stopped. Bursts of events (a start is several) make one refresh.
export class EngineFollower {
  #timer: NodeJS.Timeout | undefined;
  readonly #unsubscribe: Array<() => void>;

  constructor(private readonly deps: EngineFollowerDeps) {
    const { engine, state } = deps;
    this.#unsubscribe = [
      engine.onDockerEvent((event) => {
        if (event.Type === 'container') this.#schedule();
      }),
      engine.onStatus((status) => {
        if (status.state === 'reachable') this.#schedule();
        else state.emit();
      }),
    ];
    if (engine.connection()) this.#schedule();
  }

  async refresh(): Promise<ServerView[]> {
    const { engine, registry, state, ownership, logs } = this.deps;
    const docker = engine.connection()?.docker;
    if (!docker) return state.list();
    const results = await Promise.allSettled(
      registry
        .list()
        .map(
          async ({ spec }) =>
            [spec.name, await inspectContainer(docker, ownership.containerName(spec))] as const,
        ),
    );
    for (const result of results) {
      if (result.status !== 'fulfilled') continue;
      const [name, info] = result.value;
      const spec = registry.get(name).spec;
      // Someone else's container under our name is not ours to show as the server's state.
      const relevant = info && ownership.of(spec, info) !== 'foreign' ? info : undefined;
      state.setFacts(name, relevant);
      // An exec-mode server's health is its container's; a run-mode server has no long-running
      // container (each session is a fresh one), so its last probe stands. Resetting it here took
      // run-mode servers out of the gateway at the next engine event (a probe's own container
      // ending was one).
      if (spec.mode === 'exec' && (!relevant || relevant.state !== 'running')) {
        if (state.health(name)?.status === 'ready') state.setHealth(name, { status: 'unknown' });
      }
      logs.follow(name, relevant);
      // An allow-listed server's proxy may have run on while the app was away.
      if (spec.network === 'egress' && relevant?.state === 'running')
        void this.deps.egress.follow(docker, name, ownership.containerName(spec)).catch(() => undefined);
    }
    state.emit();
    return state.list();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.refresh().catch(() => undefined), 100);
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#unsubscribe.forEach((stop) => stop());
  }
}
