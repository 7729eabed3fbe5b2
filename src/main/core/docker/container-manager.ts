import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type { Unsubscribe } from '../../../shared/contract-kit';
import { DockError } from '../../../shared/errors';
import {
  containerNameOf,
  type ClashChoice,
  type ContainerState,
  type Health,
  type LogLine,
  type Orphan,
  type PullProgress,
  type ServerSpec,
  type ServerView,
} from '../../../shared/servers';
import {
  EngineUnavailableError,
  LeftoverRefusedError,
  NameClashError,
  ReadOnlyServerError,
  NoLogsYetError,
  ServerGoneError,
} from '../errors';
import { DockerStdioTransport } from './docker-stdio-transport';
import { openExecSession, openRunSession } from './stdio-sessions';
import type { SecretStore } from '../secrets/secret-store';
import type { RegisteredServer, ServerRegistry } from '../servers/server-registry';
import { effectiveUser, execModeCreateOptions, sessionCreateOptions } from './container-config';
import { isNotFound, toDockerError } from './docker-errors';
import { readDockerFrames } from './docker-frames';
import type { EngineMonitor } from './engine-monitor';
import { pullImage } from './image-pull';
import { INSTANCE, MANAGED, MODE, SERVER, SPEC_HASH, specHash } from './labels';
import { LogBuffer } from './log-buffer';
import { probeMcp } from './mcp-probe';
import { readServerLogs } from './server-logs';
import { SessionLog } from './session-log';
import type { Placements } from './placements';

export interface ContainerManagerOptions {
  engine: EngineMonitor;
  registry: ServerRegistry;
  secrets: SecretStore;
  placements: Placements;
  // This data directory's id (instance-id.ts), set as a label on every container created here.
  instance: string;
  probeTimeoutMs?: number;
  now?: () => Date;
  // Where the MCP sessions' stderr is kept (the data directory's logs/); not kept when absent.
  sessionLogDir?: string;
}

export interface StartOptions {
  onClash?: ClashChoice | undefined;
  // Wait for the MCP probe before returning (the CLI wants the tool list; the UI does not wait).
  waitForProbe?: boolean;
}

interface ContainerFacts {
  id: string;
  name: string;
  state: ContainerState;
  labels: Record<string, string>;
  image: string;
  startedAt?: string;
  exitCode?: number;
  // Restarts by the engine's restart policy: a rise means the keep-alive died in between.
  restartCount: number;
}

export interface ContainerManager {
  list(): ServerView[];
  view(name: string): ServerView;
  refresh(): Promise<ServerView[]>;
  start(name: string, options?: StartOptions): Promise<ServerView>;
  stop(name: string): Promise<ServerView>;
  restart(name: string, options?: StartOptions): Promise<ServerView>;
  // Removes the container (ours) or forgets it (adopted); the server entry stays.
  removeContainer(name: string): Promise<ServerView>;
  // Removes the server entirely: container, placement, secrets, entry.
  removeServer(name: string): Promise<void>;
  pull(name: string): Promise<void>;
  probe(name: string): Promise<ServerView>;
  openTransport(name: string): Promise<DockerStdioTransport>;
  // What a run-mode snippet's `docker run` needs to match MCP Dock's own sessions.
  runIdentity(name: string): Promise<{ user: string; instance: string }>;
  // The running container's id, when there is one (the gateway restarts its client when it changes).
  containerId(name: string): string | undefined;
  logs(name: string): LogLine[];
  // The server's log as the app shows it, for the CLI (which has no live buffer): its container's
  // output from the engine and its MCP sessions' stderr from the data directory, by time.
  readContainerLogs(
    name: string,
    options: { tail: number; follow: boolean; signal?: AbortSignal },
    onText: (stream: 'stdout' | 'stderr', text: string) => void,
  ): Promise<void>;
  orphans(): Promise<Orphan[]>;
  removeOrphan(id: string): Promise<void>;
  onChanged(listener: (views: ServerView[]) => void): Unsubscribe;
  onPullProgress(listener: (progress: PullProgress & { server: string }) => void): Unsubscribe;
  onLogs(listener: (batch: { server: string; lines: LogLine[] }) => void): Unsubscribe;
  close(): void;
}

// States in which a container may be doing work: never called safe to remove.
const ACTIVE_STATES = new Set(['running', 'restarting', 'paused']);

// "Permission denied" from a server usually means the non-root user or the noexec /tmp: say
// which switch would change that, so the fix is not a guess.
function withPermissionHint(spec: ServerSpec, reason: string, lines: string[]): string {
  if (!/permission denied|EACCES|EPERM|operation not permitted/i.test([reason, ...lines].join('\n')))
    return reason;
  const hints: string[] = [];
  if (!spec.user)
    hints.push(
      'it runs as a non-root user (the image’s own, else 65534:65534); if it needs another, set "Run as" in its settings (root only if it must)',
    );
  if (!spec.relax.tmpExec)
    hints.push(
      '/tmp is mounted noexec; if it runs programs it downloads there (npx, uvx), allow programs in /tmp',
    );
  return hints.length > 0 ? `${reason}. Permission was denied: ${hints.join('; ')}` : reason;
}

function bareName(name: string): string {
  return name.startsWith('/') ? name.slice(1) : name;
}

function factsFromInspect(info: Docker.ContainerInspectInfo): ContainerFacts {
  const facts: ContainerFacts = {
    id: info.Id,
    name: bareName(info.Name),
    state: info.State.Status as ContainerState,
    labels: info.Config.Labels ?? {},
    image: info.Config.Image,
    restartCount: info.RestartCount ?? 0,
  };
  if (info.State.Running) facts.startedAt = info.State.StartedAt;
  else facts.exitCode = info.State.ExitCode;
  return facts;
}

export function createContainerManager(options: ContainerManagerOptions): ContainerManager {
  const { engine, registry, secrets, placements, instance } = options;
  const sessionLog = options.sessionLogDir ? new SessionLog(options.sessionLogDir) : undefined;
  const probeTimeoutMs = options.probeTimeoutMs ?? 120_000;
  const now = options.now ?? (() => new Date());

  const facts = new Map<string, ContainerFacts | undefined>();
  const health = new Map<string, Health>();
  const busy = new Map<string, string>();
  const logBuffers = new Map<string, LogBuffer>();
  const followers = new Map<string, { id: string; stop: () => void }>();
  const locks = new Map<string, Promise<unknown>>();
  const changed = new Set<(views: ServerView[]) => void>();
  const pullListeners = new Set<(p: PullProgress & { server: string }) => void>();
  const logListeners = new Set<(batch: { server: string; lines: LogLine[] }) => void>();
  let refreshTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const docker = (): Docker => {
    const connection = engine.connection();
    if (!connection) {
      const status = engine.status();
      throw new EngineUnavailableError(status.state === 'unreachable' ? status.reason : 'still connecting');
    }
    return connection.docker;
  };

  const buffer = (name: string) => {
    let b = logBuffers.get(name);
    if (!b) {
      b = new LogBuffer();
      logBuffers.set(name, b);
    }
    return b;
  };

  const appendLog = (name: string, stream: 'stdout' | 'stderr', text: string): LogLine[] => {
    const lines = buffer(name).append(stream, text, now());
    if (lines.length === 0) return lines;
    for (const listener of logListeners) listener({ server: name, lines });
    return lines;
  };

  const containerNameFor = (spec: ServerSpec) =>
    placements.get(spec.name)?.containerName ?? containerNameOf(spec);

  const ownership = (spec: ServerSpec, info: ContainerFacts): 'ours' | 'adopted' | 'foreign' => {
    // A container from before the instance label, at this server's name, is taken as ours: the
    // next Start recreates it with the label. Another data directory's is someone else's.
    const owner = info.labels[INSTANCE];
    if (
      info.labels[MANAGED] === 'true' &&
      info.labels[SERVER] === spec.name &&
      (owner === undefined || owner === instance)
    )
      return 'ours';
    const placement = placements.get(spec.name);
    if (placement?.adopted && placement.containerName === info.name) return 'adopted';
    return 'foreign';
  };

  const viewOf = (name: string): ServerView => {
    const { spec, source } = registry.get(name);
    // Without an engine the last facts may be stale, and "absent" would be a guess.
    const info = engine.connection() ? facts.get(name) : undefined;
    const adopted = Boolean(info && ownership(spec, info) === 'adopted');
    const container: ServerView['container'] = info
      ? { state: info.state, id: info.id, adopted, image: info.image }
      : { state: engine.connection() ? 'absent' : 'unknown', adopted: false };
    if (info?.startedAt) container.startedAt = info.startedAt;
    if (info?.exitCode !== undefined) container.exitCode = info.exitCode;
    const view: ServerView = {
      spec,
      source,
      containerName: containerNameFor(spec),
      container,
      health: health.get(name) ?? { status: 'unknown' },
      secretsSet: secrets.names(name),
    };
    const marker = busy.get(name);
    if (marker) view.busy = marker;
    return view;
  };

  const list = () => registry.list().map(({ spec }) => viewOf(spec.name));

  const emit = () => {
    if (closed) return;
    const views = list();
    for (const listener of changed) listener(views);
  };

  // The server as it is on disk now. The file watcher follows other processes only after a
  // moment (and not at all where the filesystem cannot be watched), so every action looks first:
  // a server the CLI removed must not get a container.
  const current = async (name: string): Promise<RegisteredServer> => {
    const known = registry.list().some(({ spec }) => spec.name === name);
    await placements.sync();
    if (await registry.sync()) emit();
    try {
      return registry.get(name);
    } catch (error) {
      throw known ? new ServerGoneError(name) : error;
    }
  };

  // One operation per server at a time: a double-clicked Start must not create two containers.
  const withLock = <T>(name: string, marker: string, work: () => Promise<T>): Promise<T> => {
    const previous = locks.get(name) ?? Promise.resolve();
    const next = previous.then(async () => {
      busy.set(name, marker);
      emit();
      try {
        return await work();
      } finally {
        busy.delete(name);
        emit();
      }
    });
    const settled = next.catch(() => undefined);
    locks.set(name, settled);
    void settled.then(() => {
      if (locks.get(name) === settled) locks.delete(name);
    });
    return next;
  };

  const inspectByName = async (d: Docker, containerName: string): Promise<ContainerFacts | undefined> => {
    try {
      return factsFromInspect(await d.getContainer(containerName).inspect());
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toDockerError('inspect', containerName, error);
    }
  };

  const followLogs = (name: string, info: ContainerFacts | undefined) => {
    const current = followers.get(name);
    if (current && (!info || info.state !== 'running' || current.id !== info.id)) {
      current.stop();
      followers.delete(name);
    }
    if (!info || info.state !== 'running' || followers.has(name)) return;
    let stream: NodeJS.ReadableStream | undefined;
    let stopped = false;
    followers.set(name, {
      id: info.id,
      stop: () => {
        stopped = true;
        (stream as unknown as { destroy?: () => void } | undefined)?.destroy?.();
      },
    });
    const d = engine.connection()?.docker;
    if (!d) return;
    void d
      .getContainer(info.id)
      .logs({ follow: true, stdout: true, stderr: true, tail: 100 })
      .then((s) => {
        stream = s;
        if (stopped) return (s as unknown as { destroy: () => void }).destroy();
        const out = new PassThrough();
        const err = new PassThrough();
        d.modem.demuxStream(s, out, err);
        out.on('data', (c: Buffer) => appendLog(name, 'stdout', c.toString('utf8')));
        err.on('data', (c: Buffer) => appendLog(name, 'stderr', c.toString('utf8')));
        s.on('end', () => {
          if (followers.get(name)?.id === info.id) followers.delete(name);
        });
      })
      .catch(() => followers.delete(name));
  };

  const refresh = async (): Promise<ServerView[]> => {
    const d = engine.connection()?.docker;
    if (!d) return list();
    const servers = registry.list();
    const results = await Promise.allSettled(
      servers.map(async ({ spec }) => [spec.name, await inspectByName(d, containerNameFor(spec))] as const),
    );
    for (const result of results) {
      if (result.status !== 'fulfilled') continue;
      const [name, info] = result.value;
      const spec = registry.get(name).spec;
      // Someone else's container under our name is not ours to show as the server's state.
      const relevant = info && ownership(spec, info) !== 'foreign' ? info : undefined;
      facts.set(name, relevant);
      if (!relevant || relevant.state !== 'running') {
        const h = health.get(name);
        if (h && h.status === 'ready') health.set(name, { status: 'unknown' });
      }
      followLogs(name, relevant);
    }
    emit();
    return list();
  };

  const scheduleRefresh = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh().catch(() => undefined), 100);
  };

  const stopEvents = engine.onDockerEvent((event) => {
    if (event.Type === 'container') scheduleRefresh();
  });
  const stopStatus = engine.onStatus((status) => {
    if (status.state === 'reachable') scheduleRefresh();
    else emit();
  });
  if (engine.connection()) scheduleRefresh();

  const lastLogLines = async (d: Docker, id: string | undefined, name: string): Promise<string[]> => {
    const collected = buffer(name).tail(20);
    if (collected.length > 0 || !id) return collected;
    try {
      const raw = (await d
        .getContainer(id)
        .logs({ stdout: true, stderr: true, tail: 20, follow: false })) as unknown as Buffer;
      return readDockerFrames(Buffer.from(raw))
        .map((f) => f.text)
        .join('')
        .split('\n')
        .filter(Boolean)
        .slice(-20);
    } catch {
      return collected;
    }
  };

  // The user a run-mode session runs as; without the image (not pulled yet, engine away) the
  // image's own user is unknown, and the non-root default stands.
  const userFor = async (d: Docker | undefined, spec: ServerSpec): Promise<string> => {
    if (spec.user || !d) return effectiveUser(spec, undefined);
    const imageUser = await d
      .getImage(spec.image)
      .inspect()
      .then((i) => i.Config?.User)
      .catch(() => undefined);
    return effectiveUser(spec, imageUser);
  };

  // A fresh stdio session to a server's MCP process: `docker exec -i` into its running container,
  // or a throwaway `docker run -i --rm` container. Used by the probe and the gateway.
  const openTransport = async (name: string): Promise<DockerStdioTransport> => {
    const { spec } = await current(name);
    const d = docker();
    // Docker keeps no exec output: the sessions' stderr is kept for `mcp-dock servers logs`.
    const onStderr = (text: string) => sessionLog?.append(name, appendLog(name, 'stderr', text));
    if (spec.mode === 'exec') {
      const info = facts.get(name);
      if (!info || info.state !== 'running')
        throw new DockError('CONTAINER_FAILED', `"${name}" is not running; start it first`);
      return new DockerStdioTransport(() => openExecSession(d, info.id, spec.command), onStderr);
    }
    const values = await secrets.values(name, spec.secrets);
    const user = await userFor(d, spec);
    return new DockerStdioTransport(
      () => openRunSession(d, sessionCreateOptions(spec, spec.image, values, instance, user)),
      onStderr,
    );
  };

  const runProbe = async (name: string): Promise<Health> => {
    const { spec } = registry.get(name);
    const d = docker();
    health.set(name, { status: 'probing' });
    emit();
    if (spec.mode === 'exec') {
      const info = facts.get(name);
      if (!info || info.state !== 'running') {
        const failed: Health = {
          status: 'failed',
          checkedAt: now().toISOString(),
          reason: 'the container is not running; start it first',
          lastLogLines: await lastLogLines(d, info?.id, name),
        };
        health.set(name, failed);
        return failed;
      }
    }
    const transport = await openTransport(name);
    let result: Health;
    try {
      const probe = await probeMcp(transport, probeTimeoutMs);
      result = { status: 'ready', checkedAt: now().toISOString(), ...probe };
    } catch (error) {
      let reason =
        error instanceof DockError ? error.message : `the MCP handshake failed: ${(error as Error).message}`;
      if (spec.mode === 'exec') {
        // A handshake cut short often means the container itself died: say that instead. The
        // engine may take a moment to report the exit, or may already have restarted it (its
        // restart policy), so look a few times before deciding.
        const before = facts.get(name)?.restartCount ?? 0;
        const died = (f: ContainerFacts) => f.state !== 'running' || f.restartCount > before;
        let after: ContainerFacts | undefined;
        for (let i = 0; i < 6; i++) {
          after = await inspectByName(d, containerNameFor(spec)).catch(() => undefined);
          if (!after || died(after)) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        if (after && died(after)) {
          facts.set(name, after);
          reason = `the container stopped (exit code ${after.exitCode ?? 'unknown'}) while MCP Dock was checking it`;
        }
      }
      const lastLines = await lastLogLines(d, facts.get(name)?.id, name);
      result = {
        status: 'failed',
        checkedAt: now().toISOString(),
        reason: withPermissionHint(spec, reason, lastLines),
        lastLogLines: lastLines,
      };
    }
    health.set(name, result);
    // A CLI command ends right after its probe: what the session said must be on disk by then.
    await sessionLog?.flush();
    return result;
  };

  const freeName = async (d: Docker, base: string): Promise<string> => {
    for (let i = 2; i < 100; i++) {
      const candidate = `${base}-${i}`;
      if (!(await inspectByName(d, candidate))) return candidate;
    }
    throw new DockError(
      'CONTAINER_FAILED',
      `no free container name like ${base}-N; remove some old containers`,
    );
  };

  const createAndStart = async (d: Docker, spec: ServerSpec, containerName: string): Promise<void> => {
    let imageUser: string | undefined;
    try {
      imageUser = (await d.getImage(spec.image).inspect()).Config?.User;
    } catch (error) {
      throw toDockerError('find image', spec.image, error, spec.image);
    }
    const missing = spec.secrets.filter((s) => !secrets.names(spec.name).includes(s));
    if (missing.length > 0) {
      throw new DockError(
        'SECRET_STORE',
        `Set ${missing.join(', ')} for "${spec.name}" first (in the server's settings, or \`mcp-dock servers add ... --secret NAME\`).`,
      );
    }
    const values = await secrets.values(spec.name, spec.secrets);
    const options = {
      ...execModeCreateOptions(spec, spec.image, values, instance, effectiveUser(spec, imageUser)),
      name: containerName,
    };
    let container: Docker.Container;
    try {
      container = await d.createContainer(options);
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
  };

  const removeById = async (d: Docker, id: string, containerName: string) => {
    await d
      .getContainer(id)
      .remove({ force: true })
      .catch((error: unknown) => {
        if (!isNotFound(error)) throw toDockerError('remove', containerName, error);
      });
  };

  // Resolves what is at the server's container name, per the user's clash choice, to one of:
  // nothing there (create ours), ours, or adopted.
  const resolveClash = async (d: Docker, spec: ServerSpec, choice: ClashChoice | undefined) => {
    let containerName = containerNameFor(spec);
    let info = await inspectByName(d, containerName);
    if (!info || ownership(spec, info) !== 'foreign') return { containerName, info };
    if (!choice) throw new NameClashError(containerName, spec.name);
    if (choice === 'adopt') {
      await placements.set(spec.name, { containerName, adopted: true });
      return { containerName, info };
    }
    if (choice === 'replace') await removeById(d, info.id, containerName);
    else {
      containerName = await freeName(d, containerName);
      await placements.set(spec.name, { containerName, adopted: false });
    }
    info = undefined;
    return { containerName, info };
  };

  const startLocked = async (name: string, opts: StartOptions): Promise<void> => {
    const { spec } = registry.get(name);
    const d = docker();
    health.delete(name);
    buffer(name).clear();
    if (spec.mode === 'run') return; // Nothing long-running: each client session starts its own container.
    const { containerName, info } = await resolveClash(d, spec, opts.onClash);
    if (info && ownership(spec, info) === 'adopted') {
      if (info.state !== 'running') {
        await d
          .getContainer(info.id)
          .start()
          .catch((error: unknown) => {
            throw toDockerError('start', containerName, error);
          });
      }
    } else if (!info || info.state !== 'running' || info.labels[SPEC_HASH] !== specHash(spec)) {
      // Our container is recreated unless it runs the current spec: env, secrets and limits are
      // fixed at creation, so starting again is how changes take effect.
      if (info) await removeById(d, info.id, containerName);
      await createAndStart(d, spec, containerName);
    }
    facts.set(name, await inspectByName(d, containerName));
  };

  // A keep-alive that keeps dying would be restarted by its restart policy for good: after a
  // failed start MCP Dock stops it (the engine then keeps it stopped) and the card says why. A
  // container that runs on, unrestarted since Start, is left alone: only the MCP command failed.
  const stopRestartLoop = async (d: Docker, spec: ServerSpec, restartsAtStart: number) => {
    const info = await inspectByName(d, containerNameFor(spec)).catch(() => undefined);
    if (!info || ownership(spec, info) !== 'ours') return;
    if (info.state === 'running' && info.restartCount === restartsAtStart) return;
    await d
      .getContainer(info.id)
      .stop({ t: 1 })
      .catch(() => undefined);
    facts.set(spec.name, await inspectByName(d, info.name).catch(() => info));
  };

  const afterStart = async (name: string, wait: boolean) => {
    const { spec } = registry.get(name);
    const d = docker();
    const info = facts.get(name);
    const restartsAtStart = info?.restartCount ?? 0;
    followLogs(name, info);
    if (spec.mode === 'exec' && (!info || info.state !== 'running')) {
      // A keep-alive that exits at once: show why, from its own output.
      await new Promise((r) => setTimeout(r, 300));
      const lastLines = await lastLogLines(d, info?.id, name);
      health.set(name, {
        status: 'failed',
        checkedAt: now().toISOString(),
        reason: withPermissionHint(
          spec,
          `the container stopped right after starting (exit code ${info?.exitCode ?? 'unknown'})`,
          lastLines,
        ),
        lastLogLines: lastLines,
      });
      await stopRestartLoop(d, spec, restartsAtStart);
      emit();
      return;
    }
    const probing = runProbe(name).then(async (result) => {
      if (result.status === 'failed' && spec.mode === 'exec') await stopRestartLoop(d, spec, restartsAtStart);
      emit();
    });
    if (wait) await probing;
    else void probing.catch(() => undefined);
  };

  return {
    list,
    view: (name) => viewOf(name),
    refresh,
    async start(name, opts = {}) {
      await current(name);
      await withLock(name, 'starting', () => startLocked(name, opts));
      await afterStart(name, Boolean(opts.waitForProbe));
      return viewOf(name);
    },
    async stop(name) {
      const { spec } = await current(name);
      await withLock(name, 'stopping', async () => {
        const d = docker();
        const info = await inspectByName(d, containerNameFor(spec));
        if (!info || ownership(spec, info) === 'foreign') return;
        try {
          await d.getContainer(info.id).stop({ t: 5 });
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode !== 304)
            throw toDockerError('stop', info.name, error);
        }
        health.delete(name);
        facts.set(name, await inspectByName(d, info.name));
      });
      return viewOf(name);
    },
    async restart(name, opts = {}) {
      await this.stop(name);
      return this.start(name, opts);
    },
    async removeContainer(name) {
      const { spec } = await current(name);
      await withLock(name, 'removing', async () => {
        const d = docker();
        const info = await inspectByName(d, containerNameFor(spec));
        const placement = placements.get(name);
        if (info && ownership(spec, info) === 'ours') {
          await d
            .getContainer(info.id)
            .remove({ force: true })
            .catch((error: unknown) => {
              if (!isNotFound(error)) throw toDockerError('remove', info.name, error);
            });
        }
        // An adopted container is the user's: MCP Dock only lets go of it.
        if (placement) await placements.clear(name);
        facts.set(name, undefined);
        health.delete(name);
        followLogs(name, undefined);
      });
      return viewOf(name);
    },
    async removeServer(name) {
      const { source } = await current(name);
      if (source === 'catalog') throw new ReadOnlyServerError(name);
      if (engine.connection()) await this.removeContainer(name);
      await placements.clear(name);
      await secrets.remove(name);
      await registry.remove(name);
      await sessionLog?.remove(name);
      facts.delete(name);
      health.delete(name);
      logBuffers.delete(name);
      emit();
    },
    async pull(name) {
      const { spec } = await current(name);
      await withLock(name, 'pulling', () =>
        pullImage(docker(), spec.image, (p) => pullListeners.forEach((l) => l({ ...p, server: name }))),
      );
    },
    openTransport,
    async runIdentity(name) {
      const { spec } = registry.get(name);
      return { user: await userFor(engine.connection()?.docker, spec), instance };
    },
    containerId: (name) => {
      const info = facts.get(name);
      return info?.state === 'running' ? info.id : undefined;
    },
    async probe(name) {
      await current(name);
      await runProbe(name);
      emit();
      return viewOf(name);
    },
    logs(name) {
      registry.get(name);
      return buffer(name).snapshot();
    },
    async readContainerLogs(name, { tail, follow, signal }, onText) {
      const { spec } = registry.get(name);
      const d = docker();
      const info = await inspectByName(d, containerNameFor(spec));
      const container = info && ownership(spec, info) !== 'foreign' ? d.getContainer(info.id) : undefined;
      await sessionLog?.flush();
      if (!container) {
        const kept = (await sessionLog?.read(name))?.lines.length ?? 0;
        // Without its container an exec-mode server gets no new output; run mode may, per session.
        if (spec.mode === 'exec' ? follow || kept === 0 : !follow && kept === 0)
          throw new NoLogsYetError(name, spec.mode);
      }
      await readServerLogs(
        { container, docker: d, sessions: sessionLog, server: name, tail, follow, signal },
        (line) => onText(line.stream, line.text),
      );
    },
    async orphans() {
      const d = docker();
      const known = new Map(registry.list().map(({ spec }) => [spec.name, containerNameFor(spec)]));
      let all: Docker.ContainerInfo[];
      try {
        all = await d.listContainers({ all: true, filters: { label: [`${MANAGED}=true`] } });
      } catch (error) {
        throw toDockerError('list', 'containers', error);
      }
      const orphans: Orphan[] = [];
      for (const c of all) {
        const owner = c.Labels[INSTANCE];
        // Another data directory's containers are its business, running or not.
        if (owner !== undefined && owner !== instance) continue;
        const server = c.Labels[SERVER] ?? '';
        const name = bareName(c.Names[0] ?? c.Id);
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
    },
    async removeOrphan(id) {
      const d = docker();
      const orphan = (await this.orphans()).find((o) => o.id === id || o.name === id);
      if (!orphan) throw new LeftoverRefusedError(id, 'not-ours');
      if (ACTIVE_STATES.has(orphan.state)) throw new LeftoverRefusedError(orphan.name, orphan.state);
      // Without force: should it have started since the check, the engine refuses rather than kill it.
      await d
        .getContainer(orphan.id)
        .remove()
        .catch((error: unknown) => {
          throw toDockerError('remove', orphan.name, error);
        });
    },
    onChanged(listener) {
      changed.add(listener);
      return () => changed.delete(listener);
    },
    onPullProgress(listener) {
      pullListeners.add(listener);
      return () => pullListeners.delete(listener);
    },
    onLogs(listener) {
      logListeners.add(listener);
      return () => logListeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(refreshTimer);
      stopEvents();
      stopStatus();
      for (const f of followers.values()) f.stop();
      followers.clear();
      changed.clear();
      pullListeners.clear();
      logListeners.clear();
    },
  };
}
