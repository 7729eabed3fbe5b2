import { vi } from 'vitest';
import type { RawDockApi } from '../../../../shared/contract';
import type { EngineStatus } from '../../../../shared/engine';

export const REACHABLE: EngineStatus = {
  state: 'reachable',
  endpoint: 'unix:///var/run/docker.sock',
  source: 'default socket',
  checkedAt: '2026-11-22T00:00:00.000Z',
  product: 'Docker Engine',
  version: '28.2.2',
  apiVersion: '1.50',
  os: 'linux',
  arch: 'amd64',
};

export const UNREACHABLE: EngineStatus = {
  state: 'unreachable',
  endpoint: 'unix:///var/run/docker.sock',
  source: 'default socket',
  checkedAt: '2026-11-22T00:00:00.000Z',
  reason: 'nothing is listening at /var/run/docker.sock',
  hint: 'Start Docker Desktop.',
};

// A typed stand-in for window.mcpDock, rebuilt per test: if the contract changes, this stops compiling.
export function createPreloadStub(initial: EngineStatus = REACHABLE) {
  let status = initial;
  const listeners = new Set<(payload: unknown) => void>();
  const raw = {
    app: {
      getInfo: vi.fn(async () => ({
        ok: true as const,
        value: {
          name: 'MCP Dock',
          version: '0.1.0',
          mode: 'desktop',
          dataDir: '/d',
          httpUrl: 'http://127.0.0.1:8081',
        },
      })),
    },
    engine: {
      getStatus: vi.fn(async () => ({ ok: true as const, value: status })),
      recheck: vi.fn(async () => ({ ok: true as const, value: status })),
      onStatus: vi.fn((listener: (payload: unknown) => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      }),
    },
  } satisfies RawDockApi;
  return {
    raw,
    push(next: EngineStatus) {
      status = next;
      listeners.forEach((l) => l(next));
    },
    set(next: EngineStatus) {
      status = next;
    },
    listenerCount: () => listeners.size,
  };
}
