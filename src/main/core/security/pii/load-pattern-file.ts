import { readFile } from 'node:fs/promises';
import { PatternFileError } from './pii-errors';
import { parsePatternFile } from './parse-pattern-file';
import type { CustomPattern } from './types';

// Larger than any sensible pattern file; refusing it keeps a wrong path from reading a disk image.
const MAX_BYTES = 1024 * 1024;

export async function loadPatternFile(path: string): Promise<CustomPattern[]> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PatternFileError(`pattern file ${path} cannot be read (${code ?? (error as Error).message})`, {
      cause: error,
    });
  }
  if (raw.length > MAX_BYTES)
    throw new PatternFileError(
      `pattern file ${path} is ${raw.length} bytes; at most ${MAX_BYTES} are allowed`,
    );
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new PatternFileError(`pattern file ${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parsePatternFile(json, `pattern file ${path}`);
}
