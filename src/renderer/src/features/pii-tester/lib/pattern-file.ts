import { z } from 'zod';
import { formatZodError } from '../../../../../shared/errors';
import { piiPatternFileSchema, piiPatternMapSchema } from '../../../../../shared/pii';

// The user's pattern file, read with the shared schema just far enough to list its regular
// expressions for the safety check; core parses it again (and compiles it) on save. Both of the
// guide's shapes: {"patterns": {"name": {"pattern": "...", "flags": "i"}}} and {"name": "regex"}.
export interface PatternEntry {
  name: string;
  pattern: string;
  flags?: string;
}

export class PatternFileError extends Error {
  readonly code = 'PATTERN_FILE_INVALID';
}

const wrappedSchema = z.object({ patterns: piiPatternMapSchema });
type PatternMap = z.infer<typeof piiPatternMapSchema>;

export function listPatterns(text: string): PatternEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PatternFileError(`the pattern file is not JSON: ${(error as Error).message}`);
  }
  if (!piiPatternFileSchema.safeParse(json).success) {
    // The union's own error says only "invalid input": report against the shape the file aims at.
    const aimsWrapped = typeof json === 'object' && json !== null && 'patterns' in json;
    const issues = (aimsWrapped ? wrappedSchema : piiPatternMapSchema).safeParse(json).error;
    throw new PatternFileError(
      `the pattern file does not fit {"patterns": {"name": {"pattern": "..."}}}: ${
        issues ? formatZodError(issues) : 'unexpected shape'
      }`,
    );
  }
  // Same order as the shared schema: a bare map first, so a pattern named "patterns" stays one.
  const bare = piiPatternMapSchema.safeParse(json);
  const map: PatternMap = bare.success ? bare.data : wrappedSchema.parse(json).patterns;
  return Object.entries(map).map(([name, entry]) =>
    typeof entry === 'string'
      ? { name, pattern: entry }
      : entry.flags === undefined
        ? { name, pattern: entry.pattern }
        : { name, pattern: entry.pattern, flags: entry.flags },
  );
}
