import type Docker from 'dockerode';
import type { EngineStatus } from '../src/shared/engine';
import type { DockerEvent } from '../src/main/core/docker/engine-connection';
import type { EngineMonitor } from '../src/main/core/docker/engine-monitor';

// An engine monitor for unit tests of what sits on top of it: the test says whether an engine
// is there (and hands in the few Docker calls it needs), and plays its events.
export function stubEngine(docker?: Partial<Docker>) {
  let current: Docker | undefined = docker as Docker | undefined;
  const statusListeners = new Set<(status: EngineStatus) => void>();
  const eventListeners = new Set<(event: DockerEvent) => void>();
  const status = (): EngineStatus =>
    current
      ? {
          state: 'reachable',
          endpoint: 'unix:///stub.sock',
          source: 'test',
          checkedAt: new Date().toISOString(),
          product: 'Docker Engine',
          version: '1',
          apiVersion: '1.41',
          os: 'linux',
          arch: 'amd64',
        }
      : {
          state: 'unreachable',
          endpoint: 'unix:///stub.sock',
          source: 'test',
          checkedAt: new Date().toISOString(),
          reason: 'no engine in this test',
          hint: 'none',
        };
  const engine: EngineMonitor = {
    status,
    recheck: async () => status(),
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    onDockerEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    connection: () =>
      current
        ? {
            docker: current,
            version: async () => {
              throw new Error('not in a stub');
            },
            ping: async () => undefined,
            watch: async () => undefined,
            close: () => undefined,
          }
        : undefined,
    close: () => undefined,
  };
  return {
    engine,
    // Swaps the engine in or out, and says so as the monitor would.
    set(next: Partial<Docker> | undefined) {
      current = next as Docker | undefined;
      for (const listener of statusListeners) listener(status());
    },
    event(event: DockerEvent) {
      for (const listener of eventListeners) listener(event);
    },
  };
}
