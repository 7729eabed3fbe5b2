import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EngineStatus } from '../../../shared/engine';
import { createSocketProxy, type SocketProxy } from '../../../../test-support/socket-proxy';
import { requireEngine } from '../../../../test-support/docker-engine';
import { fakeEngine } from '../../../../test-support/fake-engine';
import { createEngineMonitor, type EngineMonitor } from './engine-monitor';

const endpoint = { url: 'unix:///fake.sock', source: 'DOCKER_HOST' };
const monitors: EngineMonitor[] = [];
afterEach(() => {
  monitors.splice(0).forEach((m) => m.close());
  vi.useRealTimers();
});

function until(monitor: EngineMonitor, state: EngineStatus['state']): Promise<EngineStatus> {
  return vi.waitFor(
    () => {
      const status = monitor.status();
      if (status.state !== state) throw new Error(`still ${status.state}`);
      return status;
    },
    { timeout: 5000, interval: 10 },
  );
}

describe('engine monitor (stand-in engine)', () => {
  it('starts checking, becomes reachable, reports the version', async () => {
    const engine = fakeEngine();
    const monitor = createEngineMonitor({ endpoints: () => [endpoint], connect: engine.connect });
    monitors.push(monitor);
    expect(monitor.status().state).toBe('checking');
    const status = await until(monitor, 'reachable');
    expect(status).toMatchObject({
      state: 'reachable',
      version: '1.2.3',
      endpoint: endpoint.url,
      source: 'DOCKER_HOST',
    });
  });

  it('notices the engine leaving through the event stream and its return through retries', async () => {
    const engine = fakeEngine();
    const seen: string[] = [];
    const monitor = createEngineMonitor({
      endpoints: () => [endpoint],
      connect: engine.connect,
      retryDelaysMs: [20, 40],
    });
    monitors.push(monitor);
    monitor.onStatus((s) => seen.push(s.state));
    await until(monitor, 'reachable');
    engine.stop();
    const down = await until(monitor, 'unreachable');
    expect(down).toMatchObject({ reason: expect.stringMatching(/lost/) });
    // Retries while down publish only when the reason changes (lost, then refused): no flood.
    const retriesSoFar = () => engine.connect.mock.calls.length;
    const afterRetries = async (n: number) => {
      const from = retriesSoFar();
      await vi.waitFor(() => expect(retriesSoFar()).toBeGreaterThanOrEqual(from + n), { timeout: 5000 });
    };
    await afterRetries(2);
    const whileDown = seen.length;
    await afterRetries(3);
    expect(seen.length).toBe(whileDown);
    expect(new Set(seen.slice(1))).toEqual(new Set(['unreachable']));
    engine.start();
    await until(monitor, 'reachable');
    expect(seen.at(-1)).toBe('reachable');
  });

  it('recheck answers at once instead of waiting for the next retry', async () => {
    const engine = fakeEngine();
    engine.stop();
    const monitor = createEngineMonitor({
      endpoints: () => [endpoint],
      connect: engine.connect,
      retryDelaysMs: [60_000],
    });
    monitors.push(monitor);
    await until(monitor, 'unreachable');
    engine.start();
    await expect(monitor.recheck()).resolves.toMatchObject({ state: 'reachable' });
  });

  it('recheck while connected pings, and reports a dead engine', async () => {
    const engine = fakeEngine();
    const monitor = createEngineMonitor({
      endpoints: () => [endpoint],
      connect: engine.connect,
      retryDelaysMs: [60_000],
    });
    monitors.push(monitor);
    await until(monitor, 'reachable');
    await expect(monitor.recheck()).resolves.toMatchObject({ state: 'reachable' });
    engine.stop();
    await expect(monitor.recheck()).resolves.toMatchObject({ state: 'unreachable' });
  });

  it('skips well-known sockets that do not exist and says where it looked', async () => {
    const connect = vi.fn();
    const monitor = createEngineMonitor({
      endpoints: () => [
        { url: 'unix:///nope/a.sock', source: 'default socket' },
        { url: 'unix:///nope/b.sock', source: 'Colima' },
      ],
      connect,
      socketExists: async () => false,
      retryDelaysMs: [60_000],
    });
    monitors.push(monitor);
    const status = await until(monitor, 'unreachable');
    expect(connect).not.toHaveBeenCalled();
    expect(status).toMatchObject({ reason: expect.stringContaining('/nope/a.sock, /nope/b.sock') });
  });

  it('a throwing subscriber does not stop the others', async () => {
    const engine = fakeEngine();
    const monitor = createEngineMonitor({ endpoints: () => [endpoint], connect: engine.connect });
    monitors.push(monitor);
    const good = vi.fn();
    monitor.onStatus(() => {
      throw new Error('bad subscriber');
    });
    monitor.onStatus(good);
    await until(monitor, 'reachable');
    expect(good).toHaveBeenCalledWith(expect.objectContaining({ state: 'reachable' }));
  });
});

describe('engine monitor (real Docker engine behind a socket proxy)', async () => {
  const engine = await requireEngine();
  let proxy: SocketProxy;

  beforeAll(async () => {
    if (!engine) return;
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-proxy-'));
    proxy = await createSocketProxy(engine.socketPath, join(dir, 'docker.sock'));
  });
  afterAll(() => proxy?.close());

  it.skipIf(!engine)(
    'reports the real version, flips to unreachable when cut, recovers when restored',
    async () => {
      const monitor = createEngineMonitor({
        endpoints: () => [{ url: proxy.url, source: 'DOCKER_HOST' }],
        retryDelaysMs: [100, 200, 500],
      });
      monitors.push(monitor);
      const up = await until(monitor, 'reachable');
      expect(up).toMatchObject({ version: engine!.version });
      await proxy.cut();
      const down = await until(monitor, 'unreachable');
      expect(down.state === 'unreachable' && down.reason).toMatch(
        /lost|no engine socket|nothing is listening/,
      );
      await proxy.restore();
      await expect(until(monitor, 'reachable')).resolves.toMatchObject({ version: engine!.version });
    },
  );
});
