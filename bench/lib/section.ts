import { writeFileSync } from 'node:fs';
import type { MetricRow, SectionResult } from './result';

// Each section runs in its own process (bench/main.ts starts it), so one section's processes,
// memory and JIT state never leak into the next. This is that process's frame: options in,
// a result file out, and cleanup on every way out.

export interface SectionOptions {
  quick: boolean;
  outFile: string;
}

export interface SectionContext extends SectionOptions {
  // Markdown for RESULTS.md under the section's heading.
  details: string[];
  raw: Record<string, unknown>;
  log(message: string): void;
}

type Cleanup = () => Promise<void> | void;
const cleanups: Cleanup[] = [];

export function onCleanup(fn: Cleanup): void {
  cleanups.push(fn);
}

export async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (error) {
      console.error(`cleanup failed: ${(error as Error).message}`);
    }
  }
}

export function runSection(
  section: string,
  title: string,
  body: (ctx: SectionContext) => Promise<MetricRow[]>,
): void {
  const options = JSON.parse(process.argv[2] ?? '{}') as SectionOptions;
  const started = Date.now();
  const ctx: SectionContext = {
    ...options,
    details: [],
    raw: {},
    log: (message) => console.log(`[${section} +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`),
  };
  const write = (metrics: MetricRow[], error?: string) => {
    const result: SectionResult = {
      section,
      title,
      startedAt: new Date(started).toISOString(),
      durationS: (Date.now() - started) / 1000,
      metrics,
      details: ctx.details,
      raw: ctx.raw,
      ...(error ? { error } : {}),
    };
    writeFileSync(options.outFile, JSON.stringify(result, null, 2));
  };
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void runCleanups().finally(() => {
      write([], `interrupted by ${signal}`);
      process.exit(130);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  void (async () => {
    let metrics: MetricRow[] = [];
    let error: string | undefined;
    try {
      metrics = await body(ctx);
    } catch (e) {
      error = (e as Error).stack ?? String(e);
      console.error(`[${section}] failed: ${error}`);
    }
    await runCleanups();
    write(metrics, error);
    process.exit(error ? 1 : 0);
  })();
}
