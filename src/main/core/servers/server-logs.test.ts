import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it, vi } from 'vitest';
import { stubEngine } from '../../../../test-support/stub-engine';
import type { ContainerFacts } from '../docker/inspect-container';
import { ContainerOwnership } from './container-ownership';
import { LogBuffer, MAX_LOG_LINES } from './log-buffer';
import { openPlacements } from './placements';
import { openServerRegistry } from './server-registry';
import { ServerLogs, type LogBatch } from './server-logs';
import { SessionLog } from './session-log';

const frame = (type: number, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

async function setup(docker?: Partial<Docker>) {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-logs-'));
  const registry = await openServerRegistry(dir, []);
  await registry.add({ name: 'srv', image: 'img', command: ['x'] });
  const ownership = new ContainerOwnership(await openPlacements(dir), 'inst');
  const sessionLogDir = join(dir, 'logs');
  const stub = stubEngine(docker);
  const logs = new ServerLogs({
    engine: stub.engine,
    registry,
    ownership,
    now: () => new Date('2024-01-01T00:00:00Z'),
    sessionLogDir,
  });
  return { logs, sessionLogDir, stub };
}

const running = (id: string): ContainerFacts => ({
  id,
  name: 'mcp-dock-srv',
  state: 'running',
  labels: {},
  image: 'img',
  restartCount: 0,
});

describe('logs', () => {
  it('keeps whole lines, per stream, and a bounded number of them', () => {
    const buffer = new LogBuffer();
    expect(buffer.append('stdout', 'hel')).toEqual([]);
    expect(buffer.append('stdout', 'lo\nwor').map((l) => l.text)).toEqual(['hello']);
    buffer.append('stderr', 'oops\n');
    expect(buffer.snapshot().map((l) => `${l.stream}:${l.text}`)).toEqual(['stdout:hello', 'stderr:oops']);
    for (let i = 0; i < MAX_LOG_LINES + 50; i++) buffer.append('stdout', `${i}\n`);
    expect(buffer.snapshot()).toHaveLength(MAX_LOG_LINES);
    expect(buffer.tail(1)).toEqual([String(MAX_LOG_LINES + 49)]);
  });
});

describe('server logs', () => {
  it('announces whole lines, and keeps session stderr on disk too', async () => {
    const { logs, sessionLogDir } = await setup();
    const batches: LogBatch[] = [];
    logs.onLogs((batch) => batches.push(batch));
    logs.append('srv', 'stdout', 'half');
    expect(batches).toEqual([]);
    logs.append('srv', 'stdout', ' a line\n');
    logs.sessionStderr('srv', 'from a session\n');
    expect(batches.map((b) => b.lines.map((l) => l.text))).toEqual([['half a line'], ['from a session']]);
    await logs.flush();
    expect((await new SessionLog(sessionLogDir).read('srv')).lines).toEqual([
      { stream: 'stderr', text: 'from a session', at: '2024-01-01T00:00:00.000Z' },
    ]);
    await logs.remove('srv');
    expect(logs.snapshot('srv')).toEqual([]);
    expect((await new SessionLog(sessionLogDir).read('srv')).lines).toEqual([]);
  });

  it('gives the last lines from the buffer, else from the engine’s log of the container', async () => {
    const raw = Buffer.concat([frame(1, 'one\n'), frame(2, 'two\n')]);
    const logsOf = vi.fn(async () => raw);
    const docker = { getContainer: () => ({ logs: logsOf }) } as unknown as Docker;
    const { logs } = await setup();
    expect(await logs.lastLines(docker, 'c1', 'srv')).toEqual(['one', 'two']);
    expect(await logs.lastLines(docker, undefined, 'srv')).toEqual([]);
    logs.append('srv', 'stderr', 'kept\n');
    expect(await logs.lastLines(docker, 'c1', 'srv')).toEqual(['kept']);
    expect(logsOf).toHaveBeenCalledOnce();
  });

  it('follows the running container’s output, and lets go when it stops or is replaced', async () => {
    const streams: PassThrough[] = [];
    const docker = {
      getContainer: () => ({
        logs: async () => {
          const stream = new PassThrough();
          streams.push(stream);
          return stream;
        },
      }),
    } as unknown as Partial<Docker>;
    const { logs } = await setup(docker);
    logs.follow('srv', running('c1'));
    logs.follow('srv', running('c1'));
    await vi.waitFor(() => expect(streams).toHaveLength(1));
    streams[0]!.write(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]));
    await vi.waitFor(() =>
      expect(logs.snapshot('srv').map((l) => `${l.stream}:${l.text}`)).toEqual(['stdout:out', 'stderr:err']),
    );
    logs.follow('srv', running('c2'));
    await vi.waitFor(() => expect(streams).toHaveLength(2));
    expect(streams[0]!.destroyed).toBe(true);
    logs.follow('srv', { ...running('c2'), state: 'exited' });
    expect(streams[1]!.destroyed).toBe(true);
    logs.close();
  });
});
