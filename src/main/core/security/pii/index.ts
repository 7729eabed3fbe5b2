// The PII detection engine: what it finds is described in src/shared/pii.ts.
export { PiiScanner } from './pii-scanner';
export { parsePatternFile } from './parse-pattern-file';
export { loadPatternFile } from './load-pattern-file';
export { checkPatternSafety, type PatternSafety } from './check-pattern-safety';
export { CustomPatternError, PatternFileError, ScanInputError, UnsafePatternError } from './pii-errors';
export {
  DEFAULT_TIME_BUDGET_MS,
  type CustomPattern,
  type PiiScannerOptions,
  type ScanOptions,
  type ScanResult,
} from './types';
