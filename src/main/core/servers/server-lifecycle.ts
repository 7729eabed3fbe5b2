import type Docker from 'dockerode';
import type { Unsubscribe } from '../../../shared/contract-kit';
import type { ClashChoice, PullProgress, ServerSpec, ServerView } from '../../../shared/servers';
import { effectiveUser, execModeCreateOptions } from '../docker/container-config';
import type { EgressProxies, EgressRoute } from '../docker/egress/egress-proxies';
import { isNotFound, toDockerError } from '../docker/docker-errors';
import type { EngineMonitor } from '../docker/engine-monitor';
import { pullImage } from '../docker/image-pull';
import { inspectContainer } from '../docker/inspect-container';
import { EGRESS_PROXY_ADDRESS, SPEC_HASH, specHash } from '../docker/labels';
import { forceRemoveContainer } from '../docker/remove-container';
import { requireDocker } from '../docker/require-docker';
import { ReadOnlyServerError, SecretsMissingError } from '../errors';
import type { SecretStore } from '../secrets/secret-store';
import type { ContainerOwnership } from './container-ownership';
import { withPermissionHint } from './lib/permission-hint';
import { resolveClash } from './name-clash';
import type { Placements } from './placements';
import type { RegisteredServer, ServerRegistry } from './server-registry';
import type { ServerLocks } from './server-locks';
import type { ServerLogs } from './server-logs';
import type { ServerProbe } from './server-probe';
import type { ServerState } from './server-state';

export interface StartOptions {
  onClash?: ClashChoice | undefined;
  // Wait for the MCP probe before returning (the CLI wants the tool list; the UI does not wait).
  waitForProbe?: boolean;
}

export type ServerPullProgress = PullProgress & { server: string };

export interface ServerLifecycleDeps {
  engine: EngineMonitor;
  registry: ServerRegistry;
  secrets: SecretStore;
  placements: Placements;
  state: ServerState;
  ownership: ContainerOwnership;
  locks: ServerLocks;
  logs: ServerLogs;
  probe: ServerProbe;
  onDisk: (name: string) => Promise<RegisteredServer>;
  now: () => Date;
  egress: EgressProxies;
}

// Start, stop, remove and pull, each under the server's lock, each looking at the server as it is
// on disk first. An exec-mode server is one long-running container MCP Dock created (or one the
// user told it to adopt); a run-mode server has none: each session starts its own.
export class ServerLifecycle {
  readonly #pullListeners = new Set<(progress: ServerPullProgress) => void>();

  constructor(private readonly deps: ServerLifecycleDeps) {}

  async start(name: string, options: StartOptions = {}): Promise<ServerView> {
    const { onDisk, locks, state } = this.deps;
    await onDisk(name);
    await locks.run(name, 'starting', () => this.#startLocked(name, options));
    await this.#afterStart(name, Boolean(options.waitForProbe));
    return state.view(name);
  }

  async stop(name: string): Promise<ServerView> {
    const { onDisk, locks, state, engine, ownership } = this.deps;
    const { spec } = await onDisk(name);
    await locks.run(name, 'stopping', async () => {
      const docker = requireDocker(engine);
      if (spec.network === 'egress') await this.deps.egress.stop(docker, name, ownership.containerName(spec));
      const info = await inspectContainer(docker, ownership.containerName(spec));
      if (!info || ownership.of(spec, info) === 'foreign') return;
      try {
        await docker.getContainer(info.id).stop({ t: 5 });
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 304)
          throw toDockerError('stop', info.name, error);
      }
      state.clearHealth(name);
      state.setFacts(name, await inspectContainer(docker, info.name));
    });
    return state.view(name);
  }

  async restart(name: string, options: StartOptions = {}): Promise<ServerView> {
    await this.stop(name);
    return this.start(name, options);
  }

  // Removes the container (ours) or forgets it (adopted); the server entry stays.
  async removeContainer(name: string): Promise<ServerView> {
    const { onDisk, locks, state, engine, ownership, placements, logs } = this.deps;
    const { spec } = await onDisk(name);
    await locks.run(name, 'removing', async () => {
      const docker = requireDocker(engine);
      const info = await inspectContainer(docker, ownership.containerName(spec));
      const placement = placements.get(name);
      if (info && ownership.of(spec, info) === 'ours') {
        await docker
          .getContainer(info.id)
          .remove({ force: true })
          .catch((error: unknown) => {
            if (!isNotFound(error)) throw toDockerError('remove', info.name, error);
          });
      }
      // An adopted container is the user's: MCP Dock only lets go of it.
      if (placement) await placements.clear(name);
      await this.deps.egress.remove(docker, name, ownership.containerName(spec));
      state.setFacts(name, undefined);
      state.clearHealth(name);
      logs.follow(name, undefined);
    });
    return state.view(name);
  }

  // Removes the server entirely: container, placement, secrets, entry, kept logs.
  async removeServer(name: string): Promise<void> {
    const { onDisk, engine, placements, secrets, registry, logs, state } = this.deps;
    const { source } = await onDisk(name);
    if (source === 'catalog') throw new ReadOnlyServerError(name);
    if (engine.connection()) await this.removeContainer(name);
    await placements.clear(name);
    await secrets.remove(name);
    await registry.remove(name);
    await logs.remove(name);
    state.forget(name);
    state.emit();
  }

  async pull(name: string): Promise<void> {
    const { onDisk, locks, engine } = this.deps;
    const { spec } = await onDisk(name);
    await locks.run(name, 'pulling', () =>
      pullImage(requireDocker(engine), spec.image, (p) =>
        this.#pullListeners.forEach((l) => l({ ...p, server: name })),
      ),
    );
  }

  onPullProgress(listener: (progress: ServerPullProgress) => void): Unsubscribe {
    this.#pullListeners.add(listener);
    return () => this.#pullListeners.delete(listener);
  }

  close(): void {
    this.#pullListeners.clear();
  }

  async #startLocked(name: string, options: StartOptions): Promise<void> {
    const { registry, engine, state, logs, ownership } = this.deps;
    const { spec } = registry.get(name);
    const docker = requireDocker(engine);
    state.clearHealth(name);
    logs.clear(name);
    if (spec.mode === 'run') {
      // Nothing long-running: each client session starts its own container, on the isolated
      // network whose proxy runs from now on.
      if (spec.network === 'egress')
        await this.deps.egress.prepare(docker, spec, ownership.containerName(spec));
      return;
    }
    const { containerName, info } = await resolveClash(this.deps, docker, spec, options.onClash);
    if (info && ownership.of(spec, info) === 'adopted') {
      if (info.state !== 'running') {
        await docker
          .getContainer(info.id)
          .start()
          .catch((error: unknown) => {
            throw toDockerError('start', containerName, error);
          });
      }
    } else {
      // The proxy first: the server's container joins the network it is on, and may reach out
      // as soon as it runs.
      const route =
        spec.network === 'egress' ? await this.deps.egress.prepare(docker, spec, containerName) : undefined;
      // A proxy made anew (another image, another list) may have another address than the one
      // in the running container's /etc/hosts.
      const routeChanged = route !== undefined && info?.labels[EGRESS_PROXY_ADDRESS] !== route.proxyAddress;
      if (!info || info.state !== 'running' || info.labels[SPEC_HASH] !== specHash(spec) || routeChanged) {
        // Our container is recreated unless it runs the current spec: env, secrets and limits are
        // fixed at creation, so starting again is how changes take effect.
        if (info) await forceRemoveContainer(docker, info.id, containerName);
        await this.#createAndStart(docker, spec, containerName, route);
      }
    }
    state.setFacts(name, await inspectContainer(docker, containerName));
  }

  async #createAndStart(
    docker: Docker,
    spec: ServerSpec,
    containerName: string,
    route: EgressRoute | undefined,
  ): Promise<void> {
    const { secrets, ownership } = this.deps;
    let imageUser: string | undefined;
    try {
      imageUser = (await docker.getImage(spec.image).inspect()).Config?.User;
    } catch (error) {
      throw toDockerError('find image', spec.image, error, spec.image);
    }
    const missing = spec.secrets.filter((s) => !secrets.names(spec.name).includes(s));
    if (missing.length > 0) throw new SecretsMissingError(spec.name, missing);
    const values = await secrets.values(spec.name, spec.secrets);
    const options = {
      ...execModeCreateOptions(
        spec,
        spec.image,
        values,
        ownership.instance,
        effectiveUser(spec, imageUser),
        route,
      ),
      name: containerName,
    };
    let container: Docker.Container;
    try {
      container = await docker.createContainer(options);
    } catch (error) {
      throw toDockerError('create', containerName, error, spec.image);
    }
    try {
      await container.start();
    } catch (error) {
      // Nothing half-created: a container that could not start is removed again.
      await container.remove({ force: true }).catch(() => undefined);
      throw toDockerError('start', containerName, error, spec.image);
    }
  }

  async #afterStart(name: string, wait: boolean): Promise<void> {
    const { registry, engine, state, logs, probe, now } = this.deps;
    const { spec } = registry.get(name);
    const docker = requireDocker(engine);
    const info = state.facts(name);
    const restartsAtStart = info?.restartCount ?? 0;
    logs.follow(name, info);
    if (spec.mode === 'exec' && (!info || info.state !== 'running')) {
      // A keep-alive that exits at once: show why, from its own output.
      await new Promise((r) => setTimeout(r, 300));
      const lastLines = await logs.lastLines(docker, info?.id, name);
      state.setHealth(name, {
        status: 'failed',
        checkedAt: now().toISOString(),
        reason: withPermissionHint(
          spec,
          `the container stopped right after starting (exit code ${info?.exitCode ?? 'unknown'})`,
          lastLines,
        ),
        lastLogLines: lastLines,
      });
      await this.#stopRestartLoop(docker, spec, restartsAtStart);
      state.emit();
      return;
    }
    const probing = probe.run(name).then(async (result) => {
      if (result.status === 'failed' && spec.mode === 'exec')
        await this.#stopRestartLoop(docker, spec, restartsAtStart);
      state.emit();
    });
    if (wait) await probing;
    else void probing.catch(() => undefined);
  }

  // A keep-alive that keeps dying would be restarted by its restart policy for good: after a
  // failed start MCP Dock stops it (the engine then keeps it stopped) and the card says why. A
  // container that runs on, unrestarted since Start, is left alone: only the MCP command failed.
  async #stopRestartLoop(docker: Docker, spec: ServerSpec, restartsAtStart: number): Promise<void> {
    const { ownership, state } = this.deps;
    const info = await inspectContainer(docker, ownership.containerName(spec)).catch(() => undefined);
    if (!info || ownership.of(spec, info) !== 'ours') return;
    if (info.state === 'running' && info.restartCount === restartsAtStart) return;
    await docker
      .getContainer(info.id)
      .stop({ t: 1 })
      .catch(() => undefined);
    state.setFacts(spec.name, await inspectContainer(docker, info.name).catch(() => info));
  }
}
