import { DockError } from '../../../../shared/errors';

// A pattern file (on disk, or text the panel is saving) cannot be used: unreadable, not JSON, or
// not a map of patterns. The message names the file and says what is wrong with it.
export class PatternFileError extends DockError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PATTERN_FILE_INVALID', message, options);
  }
}

// The safety check refused a pattern (catastrophic backtracking, too long...): the whole file is refused.
export class UnsafePatternError extends DockError {
  constructor(name: string, origin: string, reason: string) {
    super('UNSAFE_PATTERN', `pattern "${name}" in ${origin} is refused: ${reason}`);
  }
}

// A custom pattern given in code (not from a file) lacks a type, a RegExp or a valid score.
export class CustomPatternError extends DockError {
  constructor(message: string) {
    super('INVALID_INPUT', message);
  }
}

// scan() or the scanner was given something other than text, a threshold or a time budget.
export class ScanInputError extends DockError {
  constructor(message: string) {
    super('INVALID_INPUT', message);
  }
}
