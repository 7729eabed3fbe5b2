import { DEFAULT_PII_THRESHOLD } from '../../../../shared/pii';
import { detectorsFor } from './lib/detectors';
import { resolveOverlaps } from './lib/resolve-overlaps';
import { ScanInputError } from './pii-errors';
import { compilePattern, runCustom, type CompiledPattern } from './lib/run-custom';
import { ScanContext } from './lib/scan-context';
import { DEFAULT_TIME_BUDGET_MS, type PiiScannerOptions, type ScanOptions, type ScanResult } from './types';

// The PII scanner: built-in detectors, then custom patterns, each one pass over the text, all
// within one time budget. It is synchronous and keeps no state between scans, so one instance
// serves every tool call.
export class PiiScanner {
  readonly #custom: readonly CompiledPattern[];
  readonly #threshold: number;
  readonly #budget: number;
  readonly #clock: () => number;

  constructor(options: PiiScannerOptions = {}) {
    this.#threshold = checkThreshold(options.threshold ?? DEFAULT_PII_THRESHOLD);
    this.#budget = checkBudget(options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
    this.#clock = options.clock ?? (() => performance.now());
    this.#custom = (options.customPatterns ?? []).map(compilePattern);
  }

  scan(text: string, options: ScanOptions = {}): ScanResult {
    if (typeof text !== 'string') throw new ScanInputError('scan() needs a string to scan');
    const threshold = options.threshold === undefined ? this.#threshold : checkThreshold(options.threshold);
    const budget = options.timeBudgetMs === undefined ? this.#budget : checkBudget(options.timeBudgetMs);
    const wanted = options.entities === undefined ? null : new Set(options.entities);
    const started = this.#clock();
    const ctx = new ScanContext(text, threshold, wanted, started + budget, this.#clock);
    if (text.length > 0) {
      for (const detector of detectorsFor(wanted)) {
        if (ctx.checkClock()) break;
        detector.run(ctx);
      }
      for (const pattern of this.#custom) {
        if (wanted !== null && !wanted.has(pattern.type)) continue;
        if (ctx.checkClock()) break;
        runCustom(ctx, pattern);
      }
    }
    return {
      findings: resolveOverlaps(ctx.findings),
      timedOut: ctx.timedOut,
      elapsedMs: this.#clock() - started,
    };
  }
}

function checkThreshold(value: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1))
    throw new ScanInputError(`a PII threshold is a number from 0 to 1, got ${String(value)}`);
  return value;
}

function checkBudget(value: number): number {
  if (typeof value !== 'number' || !(value >= 0) || value === Infinity)
    throw new ScanInputError(`a scan time budget is a number of milliseconds >= 0, got ${String(value)}`);
  return value;
}
