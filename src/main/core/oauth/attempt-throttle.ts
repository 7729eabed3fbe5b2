// How many counted attempts (failed client authentications, self-registrations) a key may make:
// a token bucket that holds `perMinute` and refills at that rate, so a burst of honest mistakes
// passes and a steady guesser gets `perMinute` tries a minute.
export interface ThrottleKey {
  key: string;
  perMinute: number;
}

export type ThrottleDecision =
  | {
      ok: true;
      // Ends the attempt: `counted` takes one unit from each bucket; otherwise the reserved unit
      // goes back (a successful authentication costs nothing).
      settle(counted: boolean): void;
    }
  | { ok: false; retryAfterS: number; key: string };

interface Bucket {
  level: number;
  perMinute: number;
  at: number;
  // Attempts under way: each holds a unit until it settles.
  pending: number;
  waiters: Array<() => void>;
}

// Past this many buckets, the full and idle ones are dropped.
const MAX_BUCKETS = 10_000;

export class AttemptThrottle {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  // Waits while every unit left is held by attempts under way: a thousand parallel guesses
  // against a bucket with one unit left get one try, not a thousand. Refused when a bucket is
  // empty, with the seconds until it holds a unit again.
  async acquire(keys: readonly ThrottleKey[]): Promise<ThrottleDecision> {
    for (;;) {
      let busy: Bucket | undefined;
      let refused: { retryAfterS: number; key: string } | undefined;
      for (const { key, perMinute } of keys) {
        // Looked at without being stored: refused requests must not fill the table.
        const bucket = this.#peek(key, perMinute);
        if (bucket.level < 1) {
          const retryAfterS = Math.max(1, Math.ceil(((1 - bucket.level) * 60) / perMinute));
          if (!refused || retryAfterS > refused.retryAfterS) refused = { retryAfterS, key };
        } else if (bucket.level - bucket.pending < 1) busy ??= bucket;
      }
      if (refused) return { ok: false, ...refused };
      if (!busy) break;
      const waitOn = busy;
      await new Promise<void>((resolve) => waitOn.waiters.push(resolve));
    }
    const held = keys.map(({ key, perMinute }) => {
      const bucket = this.#peek(key, perMinute);
      this.#buckets.set(key, bucket);
      return bucket;
    });
    for (const bucket of held) bucket.pending++;
    let settled = false;
    return {
      ok: true,
      settle: (counted) => {
        if (settled) return;
        settled = true;
        for (const bucket of held) {
          bucket.pending--;
          if (counted) {
            this.#refill(bucket);
            bucket.level -= 1;
          }
          for (const wake of bucket.waiters.splice(0)) wake();
        }
        this.#prune();
      },
    };
  }

  #peek(key: string, perMinute: number): Bucket {
    const bucket = this.#buckets.get(key);
    if (!bucket) return { level: perMinute, perMinute, at: this.#now(), pending: 0, waiters: [] };
    // A changed setting applies from now on.
    bucket.perMinute = perMinute;
    this.#refill(bucket);
    return bucket;
  }

  #refill(bucket: Bucket): void {
    const now = this.#now();
    bucket.level = Math.min(bucket.perMinute, bucket.level + ((now - bucket.at) * bucket.perMinute) / 60_000);
    bucket.at = now;
  }

  // Only full, idle buckets go: forgetting one loses nothing, so no flood of new keys can wipe a
  // guesser's record.
  #prune(): void {
    if (this.#buckets.size <= MAX_BUCKETS) return;
    for (const [key, bucket] of this.#buckets) {
      if (bucket.pending > 0 || bucket.waiters.length > 0) continue;
      this.#refill(bucket);
      if (bucket.level >= bucket.perMinute) this.#buckets.delete(key);
    }
  }
}
