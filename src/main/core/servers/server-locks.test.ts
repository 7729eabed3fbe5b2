import { describe, expect, it } from 'vitest';
import { ServerLocks } from './server-locks';

const later = () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { gate, release };
};

describe('server locks', () => {
  it('runs one operation per server at a time, in order, and servers side by side', async () => {
    const busy: string[] = [];
    const locks = new ServerLocks((server, marker) => busy.push(`${server}:${marker ?? '-'}`));
    const first = later();
    const order: string[] = [];
    const a1 = locks.run('a', 'starting', async () => {
      await first.gate;
      order.push('a1');
      return 1;
    });
    const a2 = locks.run('a', 'stopping', async () => {
      order.push('a2');
      return 2;
    });
    const b = locks.run('b', 'pulling', async () => {
      order.push('b');
      return 3;
    });
    await b;
    expect(order).toEqual(['b']);
    first.release();
    expect(await Promise.all([a1, a2])).toEqual([1, 2]);
    expect(order).toEqual(['b', 'a1', 'a2']);
    expect(busy).toEqual(['a:starting', 'b:pulling', 'b:-', 'a:-', 'a:stopping', 'a:-']);
  });

  it('a failed operation fails alone: the next one runs and the marker is cleared', async () => {
    const busy: Array<string | undefined> = [];
    const locks = new ServerLocks((_server, marker) => busy.push(marker));
    const failed = locks.run('a', 'starting', async () => {
      throw new Error('boom');
    });
    const next = locks.run('a', 'stopping', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
    expect(busy).toEqual(['starting', undefined, 'stopping', undefined]);
  });
});
