import type { PiiFinding } from '../../../../../shared/pii';

// What every detector gets: the text, a way to report, and the clock. Detectors call `expired()`
// in their loops; it reads the clock only every 64th call because the clock is the slow part.
export class ScanContext {
  readonly findings: PiiFinding[] = [];
  timedOut = false;
  #ticks = 0;

  constructor(
    readonly text: string,
    readonly threshold: number,
    // null: every type is wanted.
    readonly wanted: ReadonlySet<string> | null,
    private readonly deadline: number,
    private readonly clock: () => number,
  ) {}

  wants(type: string): boolean {
    return this.wanted === null || this.wanted.has(type);
  }

  add(type: string, start: number, end: number, score: number): boolean {
    const rounded = Math.min(1, Math.round(score * 100) / 100);
    if (rounded < this.threshold || !this.wants(type) || end <= start) return false;
    this.findings.push({ type, start, end, score: rounded });
    return true;
  }

  expired(): boolean {
    if (this.timedOut) return true;
    if ((++this.#ticks & 63) !== 0) return false;
    return this.checkClock();
  }

  checkClock(): boolean {
    if (!this.timedOut && this.clock() > this.deadline) this.timedOut = true;
    return this.timedOut;
  }
}

// A detector scans the whole text once and reports through the context. `types` lets the scanner
// skip detectors whose findings nobody asked for.
export interface Detector {
  readonly name: string;
  readonly types: readonly string[];
  run(ctx: ScanContext): void;
}
