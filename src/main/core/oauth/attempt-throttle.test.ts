import { describe, expect, it } from 'vitest';
import { AttemptThrottle, type ThrottleDecision } from './attempt-throttle';

// The clock is ours: refills are checked by moving it, not by waiting.
function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const client = (perMinute = 5) => [{ key: 'client:a', perMinute }];

async function fail(throttle: AttemptThrottle, times: number, perMinute = 5): Promise<ThrottleDecision> {
  let last: ThrottleDecision | undefined;
  for (let i = 0; i < times; i++) {
    last = await throttle.acquire(client(perMinute));
    if (last.ok) last.settle(true);
  }
  return last!;
}

describe('AttemptThrottle', () => {
  it('lets perMinute counted attempts through, then refuses with the seconds until the next', async () => {
    const time = clock();
    const throttle = new AttemptThrottle(time.now);
    expect((await fail(throttle, 5)).ok).toBe(true);
    expect(await throttle.acquire(client())).toEqual({ ok: false, retryAfterS: 12, key: 'client:a' });
    time.advance(6_000);
    expect(await throttle.acquire(client())).toMatchObject({ ok: false, retryAfterS: 6 });
    time.advance(6_000);
    const again = await throttle.acquire(client());
    expect(again.ok).toBe(true);
  });

  it('does not count attempts settled as not counted (successes)', async () => {
    const throttle = new AttemptThrottle(clock().now);
    for (let i = 0; i < 100; i++) {
      const decision = await throttle.acquire(client());
      expect(decision.ok).toBe(true);
      if (decision.ok) decision.settle(false);
    }
  });

  it('lets no more parallel attempts run than units are left, and refuses the rest once they fail', async () => {
    const throttle = new AttemptThrottle(clock().now);
    const decisions = await Promise.all(Array.from({ length: 3 }, () => throttle.acquire(client(3))));
    expect(decisions.every((d) => d.ok)).toBe(true);
    // A fourth waits for one of the three to end.
    let fourth: ThrottleDecision | undefined;
    const waiting = throttle.acquire(client(3)).then((d) => (fourth = d));
    await Promise.resolve();
    expect(fourth).toBeUndefined();
    for (const d of decisions) if (d.ok) d.settle(true);
    await waiting;
    expect(fourth).toMatchObject({ ok: false, key: 'client:a' });
  });

  it('a waiting attempt goes ahead when the one before it succeeded', async () => {
    const throttle = new AttemptThrottle(clock().now);
    const first = await throttle.acquire(client(1));
    const second = throttle.acquire(client(1));
    if (first.ok) first.settle(false);
    expect((await second).ok).toBe(true);
  });

  it('refuses when any of the keys is empty, naming it', async () => {
    const throttle = new AttemptThrottle(clock().now);
    const keys = (id: string) => [
      { key: `client:${id}`, perMinute: 10 },
      { key: 'source:127.0.0.1', perMinute: 3 },
    ];
    for (const id of ['x', 'y', 'z']) {
      const d = await throttle.acquire(keys(id));
      if (d.ok) d.settle(true);
    }
    expect(await throttle.acquire(keys('w'))).toMatchObject({ ok: false, key: 'source:127.0.0.1' });
  });
});
