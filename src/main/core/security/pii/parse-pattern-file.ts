import { describeReceived } from '../../../../shared/errors';
import { z } from 'zod';
import {
  PII_PATTERN_ALIASES,
  piiPatternEntrySchema,
  piiPatternNameSchema,
  type PiiPatternEntry,
} from '../../../../shared/pii';
import { checkPatternSafety } from './check-pattern-safety';
import { PatternFileError, UnsafePatternError } from './pii-errors';
import { translatePattern } from './lib/python-regex';
import type { CustomPattern } from './types';

// A custom pattern without a score of its own counts as PII at the default threshold.
const DEFAULT_SCORE = 0.6;
const MAX_PATTERNS = 200;

// The shared map schema, with the guide's bare strings already turned into entries, so that a
// bad entry is reported field by field rather than as a failed union.
const entriesSchema = z.record(piiPatternNameSchema, piiPatternEntrySchema);

// Turns the JSON of a pii_patterns.json (the guide's `{"patterns": {…}}` or the bare map) into
// custom patterns, refusing the whole file if any pattern is malformed or unsafe. `origin` names
// the file in messages.
export function parsePatternFile(json: unknown, origin = 'the pattern file'): CustomPattern[] {
  const wrapped = isRecord(json) && isRecord(json.patterns) && typeof json.patterns.pattern !== 'string';
  const map = wrapped ? (json as { patterns: unknown }).patterns : json;
  if (!isRecord(map)) {
    throw new PatternFileError(
      `${origin} is invalid: expected an object of patterns ({"patterns": {"name": {"pattern": "…"}}}), got ${describeReceived(map)}`,
    );
  }
  const normalised = Object.fromEntries(
    Object.entries(map).map(([name, value]) => [
      name,
      typeof value === 'string' ? { pattern: value } : value,
    ]),
  );
  const parsed = entriesSchema.safeParse(normalised);
  if (!parsed.success) {
    const where = wrapped ? 'patterns.' : '';
    const detail = parsed.error.issues
      .slice(0, 5)
      .map((issue) => {
        // A bad name is reported by zod as "invalid key" wrapping the name's own issue.
        const message =
          issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
        return `${where}${issue.path.join('.') || '(root)'}: ${message}`;
      })
      .join('; ');
    throw new PatternFileError(`${origin} is invalid: ${detail}`, { cause: parsed.error });
  }
  const entries = Object.entries(parsed.data);
  if (entries.length > MAX_PATTERNS)
    throw new PatternFileError(
      `${origin} is invalid: it has ${entries.length} patterns, at most ${MAX_PATTERNS} are allowed`,
    );
  return entries.map(([name, entry]) => toCustomPattern(name, entry, origin));
}

function toCustomPattern(name: string, entry: PiiPatternEntry, origin: string): CustomPattern {
  const safety = checkPatternSafety(entry.pattern, entry.flags ?? '');
  if (!safety.safe) throw new UnsafePatternError(name, origin, safety.reason);
  const translated = translatePattern(entry.pattern, entry.flags ?? '');
  return {
    type: PII_PATTERN_ALIASES[name] ?? name,
    regex: new RegExp(translated.source, translated.flags),
    score: entry.score ?? DEFAULT_SCORE,
    context: entry.context ?? [],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
