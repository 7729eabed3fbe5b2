import type { Unsubscribe } from '../../../shared/contract-kit';
import type { LogLine, Orphan, ServerView } from '../../../shared/servers';
import type { DockerStdioTransport } from '../docker/docker-stdio-transport';
import type { EngineMonitor } from '../docker/engine-monitor';
import type { SecretStore } from '../secrets/secret-store';
import { EgressProxies } from '../docker/egress/egress-proxies';
import { ContainerOwnership } from './container-ownership';
import { EngineFollower } from './engine-follower';
import { Orphans } from './orphans';
import type { Placements } from './placements';
import { ServerLifecycle, type ServerPullProgress, type StartOptions } from './server-lifecycle';
import { ServerLocks } from './server-locks';
import { ServerLogs, type LogBatch } from './server-logs';
import { serverOnDisk } from './server-on-disk';
import { ServerProbe } from './server-probe';
import type { ServerRegistry } from './server-registry';
import { ServerSessions } from './server-sessions';
import { ServerState } from './server-state';

export type { StartOptions };

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
  // The image allow-listed servers' proxies run in: any with `node`.
  egressProxyImage?: string | undefined;
}

export const DEFAULT_EGRESS_PROXY_IMAGE = 'node:20-alpine';

// One connection an allow-listed server's proxy allowed or refused.
export interface EgressEvent {
  server: string;
  event: 'allowed' | 'denied';
  host: string;
  port: number;
}

// The servers' containers as the rest of core uses them: the servers API, the gateway's
// upstream pool (sessions, running ids, changes) and the snippets (run identity).
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
  onPullProgress(listener: (progress: ServerPullProgress) => void): Unsubscribe;
  onLogs(listener: (batch: LogBatch) => void): Unsubscribe;
  onEgress(listener: (event: EgressEvent) => void): Unsubscribe;
  close(): void;
}

// Builds the concerns in dependency order; each one is a small object with its own state.
// What this returns only routes calls to them.
export function createContainerManager(options: ContainerManagerOptions): ContainerManager {
  const { engine, registry, secrets, placements, instance } = options;
  const now = options.now ?? (() => new Date());
  const ownership = new ContainerOwnership(placements, instance);
  const state = new ServerState({ registry, engine, secrets, ownership });
  const egressListeners = new Set<(event: EgressEvent) => void>();
  const egress = new EgressProxies({
    instance,
    proxyImage: () => options.egressProxyImage ?? DEFAULT_EGRESS_PROXY_IMAGE,
    onRecord(server, record) {
      state.recordEgress(server, record, now());
      for (const listener of egressListeners) listener({ server, ...record });
    },
  });
  const locks = new ServerLocks((server, marker) => state.setBusy(server, marker));
  const logs = new ServerLogs({ engine, registry, ownership, now, sessionLogDir: options.sessionLogDir });
  const onDisk = (name: string) => serverOnDisk({ registry, placements, state }, name);
  const sessions = new ServerSessions({
    engine,
    registry,
    secrets,
    state,
    logs,
    instance,
    onDisk,
    ownership,
    egress,
  });
  const probe = new ServerProbe({
    engine,
    registry,
    state,
    ownership,
    logs,
    sessions,
    timeoutMs: options.probeTimeoutMs ?? 120_000,
    now,
  });
  const lifecycle = new ServerLifecycle({
    engine,
    registry,
    secrets,
    placements,
    state,
    ownership,
    locks,
    logs,
    probe,
    onDisk,
    now,
    egress,
  });
  const follower = new EngineFollower({ engine, registry, state, ownership, logs, egress });
  const orphans = new Orphans({ engine, registry, ownership });

  return {
    list: () => state.list(),
    view: (name) => state.view(name),
    refresh: () => follower.refresh(),
    start: (name, opts) => lifecycle.start(name, opts),
    stop: (name) => lifecycle.stop(name),
    restart: (name, opts) => lifecycle.restart(name, opts),
    removeContainer: (name) => lifecycle.removeContainer(name),
    removeServer: (name) => lifecycle.removeServer(name),
    pull: (name) => lifecycle.pull(name),
    async probe(name) {
      await onDisk(name);
      await probe.run(name);
      state.emit();
      return state.view(name);
    },
    openTransport: (name) => sessions.open(name),
    runIdentity: (name) => sessions.runIdentity(name),
    containerId: (name) => state.runningId(name),
    logs(name) {
      registry.get(name);
      return logs.snapshot(name);
    },
    readContainerLogs: (name, opts, onText) => logs.read(name, opts, onText),
    orphans: () => orphans.list(),
    removeOrphan: (id) => orphans.remove(id),
    onChanged: (listener) => state.onChanged(listener),
    onPullProgress: (listener) => lifecycle.onPullProgress(listener),
    onLogs: (listener) => logs.onLogs(listener),
    onEgress(listener) {
      egressListeners.add(listener);
      return () => egressListeners.delete(listener);
    },
    close() {
      egress.close();
      state.close();
      follower.close();
      logs.close();
      lifecycle.close();
    },
  };
}
