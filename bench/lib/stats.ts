// The one place numbers are summarised: every metric is a median over repeated runs after a
// warm-up, reported with its spread (quartiles and extremes) and how many runs it came from.

export interface Summary {
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
  n: number;
}

// Linear interpolation between the closest ranks (the R-7 / NumPy default).
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function sortNumbers(values: readonly number[]): number[] {
  return Array.from(Float64Array.from(values).sort());
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = sortNumbers(samples.filter((v) => Number.isFinite(v)));
  return {
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    n: sorted.length,
  };
}

// Percentile of raw samples (latencies within one run), not a summary across runs.
export function percentile(values: readonly number[], q: number): number {
  return quantile(sortNumbers(values), q);
}

export interface RepeatOptions {
  warmup: number;
  runs: number;
}

// Runs `fn` `warmup` times unrecorded, then `runs` times, and summarises what it returned.
export async function repeat(
  options: RepeatOptions,
  fn: (run: number) => Promise<number> | number,
): Promise<{ summary: Summary; samples: number[] }> {
  for (let i = 0; i < options.warmup; i++) await fn(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < options.runs; i++) samples.push(await fn(i));
  return { summary: summarize(samples), samples };
}

// Wall-clock milliseconds of one call.
export async function timeMs(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}
