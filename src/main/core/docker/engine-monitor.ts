import { stat } from 'node:fs/promises';
import type { EngineStatus } from '../../../shared/engine';
import type { Unsubscribe } from '../../../shared/contract-kit';
import { connectEngine, type DockerEvent, type EngineConnection } from './engine-connection';
import { socketPathOf, type EngineEndpoint } from './engine-endpoints';
import { describeEngineFailure, engineError, RECONNECTS } from './engine-errors';

export interface EngineMonitorOptions {
  // Re-read on every check: a socket that appears later (Docker Desktop starting) is found.
  endpoints: () => EngineEndpoint[];
  connect?: (endpoint: EngineEndpoint) => EngineConnection;
  socketExists?: (path: string) => Promise<boolean>;
  now?: () => Date;
  // Waits between attempts while the engine is away; the last one repeats. Short enough that
  // a returning engine shows up within seconds, cheap because a refused socket costs nothing.
  retryDelaysMs?: readonly number[];
  // While connected, the event stream ending tells us the engine went away; the heartbeat only
  // catches a connection that hangs without closing.
  heartbeatMs?: number;
  probeTimeoutMs?: number;
}

export interface EngineMonitor {
  status(): EngineStatus;
  // Checks now instead of waiting for the next retry; concurrent calls share one check.
  recheck(): Promise<EngineStatus>;
  onStatus(listener: (status: EngineStatus) => void): Unsubscribe;
  onDockerEvent(listener: (event: DockerEvent) => void): Unsubscribe;
  // The live connection, for later capabilities (containers, logs); undefined while unreachable.
  connection(): EngineConnection | undefined;
  close(): void;
}

const DEFAULT_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 3000] as const;

async function defaultSocketExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export function createEngineMonitor(options: EngineMonitorOptions): EngineMonitor {
  const connect = options.connect ?? ((endpoint) => connectEngine(endpoint));
  const socketExists = options.socketExists ?? defaultSocketExists;
  const now = options.now ?? (() => new Date());
  const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const probeTimeoutMs = options.probeTimeoutMs ?? 3_000;

  const listeners = new Set<(status: EngineStatus) => void>();
  const eventListeners = new Set<(event: DockerEvent) => void>();
  const first = options.endpoints()[0];
  let current: EngineStatus = {
    state: 'checking',
    endpoint: first?.url ?? 'none',
    source: first?.source ?? 'none',
    checkedAt: now().toISOString(),
  };
  let live: EngineConnection | undefined;
  let inFlight: Promise<EngineStatus> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let closed = false;

  function publish(next: EngineStatus): void {
    const changed =
      JSON.stringify({ ...current, checkedAt: '' }) !== JSON.stringify({ ...next, checkedAt: '' });
    current = next;
    if (!changed) return;
    for (const listener of listeners) {
      try {
        listener(next);
      } catch {
        // One broken subscriber must not stop the others from hearing about the engine.
      }
    }
  }

  function dropConnection(): void {
    clearInterval(heartbeatTimer);
    heartbeatTimer = undefined;
    live?.close();
    live = undefined;
  }

  function scheduleRetry(): void {
    if (closed) return;
    clearTimeout(retryTimer);
    const delay = retryDelays[Math.min(failures, retryDelays.length - 1)] ?? 3000;
    failures += 1;
    retryTimer = setTimeout(() => void check(), delay);
    retryTimer.unref?.();
  }

  function markLost(endpoint: EngineEndpoint, error: unknown): void {
    if (closed) return;
    dropConnection();
    const failure = describeEngineFailure(endpoint, error);
    publish({
      state: 'unreachable',
      endpoint: endpoint.url,
      source: endpoint.source,
      checkedAt: now().toISOString(),
      ...failure,
    });
    failures = 0;
    scheduleRetry();
  }

  async function attempt(endpoint: EngineEndpoint): Promise<EngineStatus> {
    const connection = connect(endpoint);
    try {
      const version = await connection.version(probeTimeoutMs);
      await connection.watch(
        (error) => {
          if (live === connection) markLost(endpoint, error);
        },
        (event) => {
          for (const listener of eventListeners) {
            try {
              listener(event);
            } catch {
              // A failing subscriber must not stop the event stream.
            }
          }
        },
      );
      if (closed) {
        connection.close();
        return current;
      }
      dropConnection();
      live = connection;
      heartbeatTimer = setInterval(() => {
        connection.ping(probeTimeoutMs).catch((error: unknown) => {
          if (live === connection) markLost(endpoint, error ?? engineError('ENGINE_LOST', 'ping failed'));
        });
      }, heartbeatMs);
      heartbeatTimer.unref?.();
      return {
        state: 'reachable',
        endpoint: endpoint.url,
        source: endpoint.source,
        checkedAt: now().toISOString(),
        ...version,
      };
    } catch (error) {
      connection.close();
      throw error;
    }
  }

  async function runCheck(): Promise<EngineStatus> {
    clearTimeout(retryTimer);
    const endpoints = options.endpoints();
    const failuresSeen: Array<{ endpoint: EngineEndpoint; error: unknown }> = [];
    // When the user chose one endpoint we try exactly that; otherwise only sockets that exist,
    // so "no socket here" does not hide the real error of the socket that is there.
    const single = endpoints.length === 1;
    for (const endpoint of endpoints) {
      const path = socketPathOf(endpoint.url);
      if (!single && path && endpoint.url.startsWith('unix://') && !(await socketExists(path))) continue;
      try {
        const status = await attempt(endpoint);
        failures = 0;
        return status;
      } catch (error) {
        failuresSeen.push({ endpoint, error });
      }
    }
    const primary = failuresSeen[0];
    if (primary) {
      return {
        state: 'unreachable',
        endpoint: primary.endpoint.url,
        source: primary.endpoint.source,
        checkedAt: now().toISOString(),
        ...describeEngineFailure(primary.endpoint, primary.error),
      };
    }
    const looked = endpoints.map((e) => socketPathOf(e.url) ?? e.url).join(', ');
    return {
      state: 'unreachable',
      endpoint: endpoints[0]?.url ?? 'none',
      source: endpoints[0]?.source ?? 'none',
      checkedAt: now().toISOString(),
      reason: `no Docker engine socket found (looked for ${looked})`,
      hint: `Install and start Docker Desktop, Docker Engine, Podman or Colima, or set DOCKER_HOST. ${RECONNECTS}`,
    };
  }

  function check(): Promise<EngineStatus> {
    if (closed) return Promise.resolve(current);
    if (live) return Promise.resolve(current);
    inFlight ??= runCheck()
      .then((status) => {
        if (!closed) {
          publish(status);
          if (status.state !== 'reachable') scheduleRetry();
        }
        return current;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  void check();

  return {
    status: () => current,
    async recheck() {
      // A user pressing "Re-check" while connected wants a fresh answer, not the cached one.
      if (live) {
        const connection = live;
        try {
          await connection.ping(probeTimeoutMs);
          return current;
        } catch (error) {
          const endpoint = options.endpoints().find((e) => e.url === current.endpoint) ?? {
            url: current.endpoint,
            source: current.source,
          };
          markLost(endpoint, error);
        }
      }
      failures = 0;
      return check();
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onDockerEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    connection: () => live,
    close() {
      closed = true;
      clearTimeout(retryTimer);
      dropConnection();
      listeners.clear();
      eventListeners.clear();
    },
  };
}
