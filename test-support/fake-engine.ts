import { vi } from 'vitest';
import type { EngineConnection } from '../src/main/core/docker/engine-connection';

export const FAKE_ENGINE_VERSION = {
  product: 'Docker Engine',
  version: '1.2.3',
  apiVersion: '1.41',
  os: 'linux',
  arch: 'amd64',
};

// A stand-in engine whose presence a unit test switches; integration tests use the real one.
export function fakeEngine() {
  let up = true;
  const lostHandlers = new Set<(e: unknown) => void>();
  const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  const connect = vi.fn((): EngineConnection => ({
    docker: {} as EngineConnection['docker'],
    version: async () => {
      if (!up) throw refused();
      return FAKE_ENGINE_VERSION;
    },
    ping: async () => {
      if (!up) throw refused();
    },
    watch: async (onLost) => {
      if (!up) throw refused();
      lostHandlers.add(onLost);
    },
    close: () => undefined,
  }));
  return {
    connect,
    stop() {
      up = false;
      for (const h of lostHandlers) h(Object.assign(new Error('gone'), { code: 'ENGINE_LOST' }));
      lostHandlers.clear();
    },
    start() {
      up = true;
    },
  };
}
