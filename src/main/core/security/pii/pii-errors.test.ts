import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPatternFile, parsePatternFile, PiiScanner } from '.';

// Each refusal is its own class; code and message are what the panel and the CLI show.
const refused = (name: string, code: string, message: string | RegExp) =>
  expect.objectContaining({
    name,
    code,
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  });

describe('PII refusals', () => {
  it('a pattern file that is not JSON, too big, or not patterns: PatternFileError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-pii-errors-'));
    const file = join(dir, 'p.json');
    await writeFile(file, '{');
    await expect(loadPatternFile(file)).rejects.toEqual(
      refused(
        'PatternFileError',
        'PATTERN_FILE_INVALID',
        new RegExp(`^pattern file ${file} is not valid JSON: `),
      ),
    );
    await expect(loadPatternFile(join(dir, 'none.json'))).rejects.toEqual(
      refused('PatternFileError', 'PATTERN_FILE_INVALID', /cannot be read \(ENOENT\)$/),
    );
    expect(() => parsePatternFile([])).toThrow(
      refused('PatternFileError', 'PATTERN_FILE_INVALID', /^the pattern file is invalid: expected an object/),
    );
  });

  it('an unsafe pattern: UnsafePatternError naming it and the file', () => {
    expect(() => parsePatternFile({ evil: { pattern: '(a+)+$' } }, 'p.json')).toThrow(
      refused('UnsafePatternError', 'UNSAFE_PATTERN', /^pattern "evil" in p\.json is refused: /),
    );
  });

  it('a custom pattern or scan input that is not one: INVALID_INPUT', () => {
    expect(
      () => new PiiScanner({ customPatterns: [{ type: 'X', regex: /x/, score: 2, context: [] }] }),
    ).toThrow(
      refused('CustomPatternError', 'INVALID_INPUT', 'custom pattern "X" has score 2; scores are 0..1'),
    );
    expect(() => new PiiScanner().scan(42 as unknown as string)).toThrow(
      refused('ScanInputError', 'INVALID_INPUT', 'scan() needs a string to scan'),
    );
  });
});
