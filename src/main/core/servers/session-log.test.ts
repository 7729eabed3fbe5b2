import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { LogLine } from '../../../shared/servers';
import { comparableTime } from './read-server-logs';
import { SESSION_LOG_MAX_BYTES, SessionLog } from './session-log';

const line = (text: string, at = new Date().toISOString()): LogLine => ({ stream: 'stderr', text, at });

describe('session log', () => {
  it('keeps session stderr per server, 0600, bounded by one rotation, and removes it', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'mcp-dock-logs-')), 'logs');
    const log = new SessionLog(dir);
    log.append('a', [line('one'), line('two')]);
    log.append('b', [line('other')]);
    await log.flush();
    expect((await log.read('a')).lines.map((l) => l.text)).toEqual(['one', 'two']);
    expect((await stat(log.file('a'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);

    const big = 'x'.repeat(10_000);
    for (let i = 0; i < 250; i++) log.append('a', [line(`${i} ${big}`)]);
    await log.flush();
    const kept = await log.read('a');
    expect(kept.lines.at(-1)?.text).toBe(`249 ${big}`);
    // Two generations at most: the disk use stays bounded however long the server runs.
    expect(kept.lines.length).toBeLessThan(250);
    expect((await stat(log.file('a'))).size).toBeLessThanOrEqual(SESSION_LOG_MAX_BYTES);
    await log.remove('a');
    expect(await readdir(dir)).toEqual(['b.log']);
  });

  it('follows new lines from where a read ended, across a rotation, until stopped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-logs-'));
    const writer = new SessionLog(dir);
    writer.append('s', [line('before')]);
    await writer.flush();
    const reader = new SessionLog(dir);
    const { offset } = await reader.read('s');
    const seen: string[] = [];
    const controller = new AbortController();
    reader.follow('s', offset, (l) => seen.push(l.text), controller.signal);
    writer.append('s', [line('after')]);
    await vi.waitFor(() => expect(seen).toEqual(['after']), { timeout: 5000 });
    const big = 'y'.repeat(SESSION_LOG_MAX_BYTES);
    writer.append('s', [line(big)]);
    writer.append('s', [line('rotated')]);
    await vi.waitFor(() => expect(seen.at(-1)).toBe('rotated'), { timeout: 5000 });
    controller.abort();
    writer.append('s', [line('unseen')]);
    await writer.flush();
    expect(seen).not.toContain('unseen');
  });

  it('orders Docker’s nanosecond times and our millisecond times together', () => {
    const times = [
      '2026-01-01T00:00:00.1234Z',
      '2026-01-01T00:00:00.123Z',
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00.123000001Z',
    ];
    expect([...times].sort((a, b) => (comparableTime(a) < comparableTime(b) ? -1 : 1))).toEqual([
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00.123Z',
      '2026-01-01T00:00:00.123000001Z',
      '2026-01-01T00:00:00.1234Z',
    ]);
  });
});
