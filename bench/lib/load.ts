import { percentile, summarize, type Summary } from './stats';

// Closed-loop load: each client keeps one call in flight, so N clients are N concurrent callers.
// A warm-up phase runs first and is thrown away; then `rounds` timed rounds, each giving a
// throughput and latency percentiles. The summary is the median of the rounds with their spread.

export interface Caller {
  call(): Promise<void>;
}

export interface LoadOptions {
  warmupMs: number;
  rounds: number;
  roundMs: number;
}

export interface LoadRound {
  calls: number;
  errors: number;
  elapsedMs: number;
  perS: number;
  p50: number;
  p99: number;
}

export interface LoadResult {
  concurrency: number;
  // Calls made in all, warm-up included (for CPU per call over the whole run).
  totalCalls: number;
  rounds: LoadRound[];
  perS: Summary;
  p50: Summary;
  p99: Summary;
  errors: number;
  firstError?: string;
}

// One closed-loop phase of `ms`: every caller calls again as soon as its call returns.
export async function phase(callers: readonly Caller[], ms: number, errors: string[]): Promise<LoadRound> {
  const latencies: number[] = [];
  let failed = 0;
  const start = performance.now();
  const deadline = start + ms;
  await Promise.all(
    callers.map(async (caller) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await caller.call();
          latencies.push(performance.now() - t0);
        } catch (error) {
          failed++;
          if (errors.length < 3) errors.push((error as Error).message);
        }
      }
    }),
  );
  const elapsedMs = performance.now() - start;
  return {
    calls: latencies.length,
    errors: failed,
    elapsedMs,
    perS: (latencies.length / elapsedMs) * 1000,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

export function loadResult(
  concurrency: number,
  warmupCalls: number,
  rounds: LoadRound[],
  errors: readonly string[],
): LoadResult {
  return {
    concurrency,
    totalCalls: warmupCalls + rounds.reduce((n, r) => n + r.calls, 0),
    rounds,
    perS: summarize(rounds.map((r) => r.perS)),
    p50: summarize(rounds.map((r) => r.p50)),
    p99: summarize(rounds.map((r) => r.p99)),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    ...(errors[0] ? { firstError: errors[0] } : {}),
  };
}

export async function runLoad(callers: readonly Caller[], options: LoadOptions): Promise<LoadResult> {
  const errors: string[] = [];
  const warm = await phase(callers, options.warmupMs, errors);
  const rounds: LoadRound[] = [];
  for (let i = 0; i < options.rounds; i++) rounds.push(await phase(callers, options.roundMs, errors));
  return loadResult(callers.length, warm.calls, rounds, errors);
}

// Opens `count` clients, `parallel` at a time (each may start a process).
export async function openMany<T>(
  count: number,
  open: (i: number) => Promise<T>,
  parallel = 8,
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += parallel) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(parallel, count - i) }, (_, j) => open(i + j)),
    );
    out.push(...batch);
  }
  return out;
}
