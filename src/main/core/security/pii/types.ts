import type { PiiFinding } from '../../../../shared/pii';

// A pattern from a pattern file (or from code): matches of `regex` are findings of `type`, scored
// `score`, plus a boost when one of the `context` words is near.
export type CustomPattern = {
  type: string;
  regex: RegExp;
  score: number;
  context: string[];
};

export type PiiScannerOptions = {
  customPatterns?: CustomPattern[];
  // Findings scoring below this are dropped (default DEFAULT_PII_THRESHOLD).
  threshold?: number;
  // How long one scan may take (default DEFAULT_TIME_BUDGET_MS).
  timeBudgetMs?: number;
  // Milliseconds from any origin; tests freeze or step it.
  clock?: () => number;
};

export type ScanOptions = {
  // Only these types (canonical names or custom types); all when absent.
  entities?: readonly string[];
  threshold?: number;
  timeBudgetMs?: number;
};

export type ScanResult = {
  // Sorted by start, no two overlapping.
  findings: PiiFinding[];
  // The budget ran out before every detector had run: `findings` is partial, and a caller whose
  // policy is to reject PII must treat the text as containing some.
  timedOut: boolean;
  elapsedMs: number;
};

export const DEFAULT_TIME_BUDGET_MS = 250;
