import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPatternFile } from './load-pattern-file';
import { parsePatternFile } from './parse-pattern-file';
import { PiiScanner } from './pii-scanner';

describe('parsePatternFile', () => {
  it('reads the {"patterns": {...}} shape and maps the guide names to canonical types', () => {
    const patterns = parsePatternFile({
      patterns: {
        phone: { pattern: '\\b01[0-9]-?[0-9]{4}-?[0-9]{4}\\b', description: 'Korean mobile' },
        korean_name: { pattern: '[가-힣]{2,4}(?=님)', score: 0.7 },
        ssn: { pattern: '\\b\\d{6}-?[1-4]\\d{6}\\b' },
        employee_id: { pattern: '\\bEMP-\\d{6}\\b', score: 0.8, context: ['사번', 'employee'], flags: 'i' },
      },
    });
    expect(patterns.map((p) => [p.type, p.score, p.context])).toEqual([
      ['PHONE_NUMBER', 0.6, []],
      ['PERSON', 0.7, []],
      ['KR_RRN', 0.6, []],
      ['employee_id', 0.8, ['사번', 'employee']],
    ]);
    expect(patterns[3]!.regex.flags).toBe('i');
  });

  it('reads the bare map and the bare-string values of the guide', () => {
    const patterns = parsePatternFile({ email: '[a-z]+@[a-z]+\\.com', EMP: { pattern: 'EMP-\\d{6}' } });
    expect(patterns.map((p) => p.type)).toEqual(['EMAIL_ADDRESS', 'EMP']);
    expect(parsePatternFile({})).toEqual([]);
  });

  it.each([
    [
      null,
      'the pattern file is invalid: expected an object of patterns ({"patterns": {"name": {"pattern": "…"}}}), got null',
    ],
    [
      [],
      'the pattern file is invalid: expected an object of patterns ({"patterns": {"name": {"pattern": "…"}}}), got an array',
    ],
    [
      { patterns: { email: { description: 'no pattern' } } },
      'the pattern file is invalid: patterns.email.pattern: Invalid input: expected string, received undefined',
    ],
    [
      { email: { pattern: 'a', score: 2 } },
      'the pattern file is invalid: email.score: Too big: expected number to be <=1',
    ],
    [
      { email: { pattern: 'a', flags: 'g' } },
      'the pattern file is invalid: email.flags: flags may only contain i, m, s and u',
    ],
    [{ email: 42 }, 'the pattern file is invalid: email: Invalid input: expected object, received number'],
    [
      { '1bad': 'a' },
      'the pattern file is invalid: 1bad: a pattern name starts with a letter and has at most 64 letters, digits, _ . or -',
    ],
  ])('refuses %j', (json, message) => {
    expect(() => parsePatternFile(json)).toThrow(
      expect.objectContaining({ code: 'PATTERN_FILE_INVALID', message }),
    );
  });

  it('refuses a file with a catastrophic pattern, naming the pattern and why', () => {
    expect(() => parsePatternFile({ patterns: { ok: 'EMP-\\d{6}', evil: '(a+)+$' } }, 'pii.json')).toThrow(
      expect.objectContaining({
        code: 'UNSAFE_PATTERN',
        message: expect.stringMatching(
          /^pattern "evil" in pii\.json is refused: it can backtrack catastrophically: exponential time on input such as /,
        ) as unknown,
      }),
    );
  });

  it('refuses a pattern that does not compile', () => {
    expect(() => parsePatternFile({ broken: '([a-z]' })).toThrow(
      expect.objectContaining({
        code: 'UNSAFE_PATTERN',
        message:
          'pattern "broken" in the pattern file is refused: it does not compile: Invalid regular expression: /([a-z]/: Unterminated group',
      }),
    );
  });
});

describe('custom patterns in the scanner', () => {
  const patterns = parsePatternFile({
    patterns: { employee_id: { pattern: '\\bEMP-\\d{6}\\b', score: 0.55, context: ['사번'] } },
  });
  const scanner = new PiiScanner({ customPatterns: patterns });

  it('reports matches with their score, raised by context words', () => {
    const text = `EMP-123456 ${'.'.repeat(30)} 사번 EMP-654321, xEMP-000000`;
    expect(scanner.scan(text).findings).toEqual([
      { type: 'employee_id', start: 0, end: 10, score: 0.55 },
      { type: 'employee_id', start: 45, end: 55, score: 0.85 },
    ]);
    expect(scanner.scan(text, { entities: ['EMAIL_ADDRESS'] }).findings).toEqual([]);
  });

  it('finds matches across chunk boundaries whole, and long matches to their end', () => {
    const long = new PiiScanner({ customPatterns: parsePatternFile({ run: 'Z{10,}' }) });
    for (const at of [4090, 4096, 8190, 12_000]) {
      const text = `${'.'.repeat(at)}${'Z'.repeat(700)}.`;
      expect(long.scan(text).findings).toEqual([{ type: 'run', start: at, end: at + 700, score: 0.6 }]);
    }
    const emp = new PiiScanner({ customPatterns: patterns });
    const text = `${'x '.repeat(2046)}EMP-123456 ${'y '.repeat(3000)}EMP-654321`;
    expect(emp.scan(text).findings.map((f) => text.slice(f.start, f.end))).toEqual([
      'EMP-123456',
      'EMP-654321',
    ]);
  });

  it('does not take $ at the end of a chunk for the end of the text', () => {
    const anchored = new PiiScanner({ customPatterns: parsePatternFile({ tail: 'END$' }) });
    const text = `${'.'.repeat(4096 + 512 - 3)}END and more`;
    expect(anchored.scan(text).findings).toEqual([]);
    expect(anchored.scan(`${text} END`).findings).toHaveLength(1);
  });
});

describe('loadPatternFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pii-patterns-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("loads the guide's file, e-mail pattern included", async () => {
    const file = join(dir, 'pii_patterns.json');
    await writeFile(
      file,
      JSON.stringify({
        email: '\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Z|a-z]{2,}\\b',
        phone: '\\b01[0-9]-?[0-9]{4}-?[0-9]{4}\\b',
        korean_name: '\\b[가-힣]{2,4}\\b(?=님|씨|\\s|$)',
        ssn: '\\b\\d{6}-?[1-4]\\d{6}\\b',
      }),
    );
    const patterns = await loadPatternFile(file);
    expect(patterns.map((p) => p.type)).toEqual(['EMAIL_ADDRESS', 'PHONE_NUMBER', 'PERSON', 'KR_RRN']);
    const scanner = new PiiScanner({ customPatterns: patterns });
    expect(scanner.scan('mail hong@example.com', { entities: ['EMAIL_ADDRESS'] }).findings).toHaveLength(1);
  });

  it('names the file when it is missing or not JSON', async () => {
    const missing = join(dir, 'missing.json');
    await expect(loadPatternFile(missing)).rejects.toMatchObject({
      code: 'PATTERN_FILE_INVALID',
      message: `pattern file ${missing} cannot be read (ENOENT)`,
    });
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"email": ');
    await expect(loadPatternFile(bad)).rejects.toMatchObject({
      code: 'PATTERN_FILE_INVALID',
      message: expect.stringMatching(
        new RegExp(`^pattern file ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not valid JSON: `),
      ) as unknown,
    });
    const shape = join(dir, 'shape.json');
    await writeFile(shape, '{"patterns": {"email": {"pattern": 1}}}');
    await expect(loadPatternFile(shape)).rejects.toMatchObject({
      code: 'PATTERN_FILE_INVALID',
      message: `pattern file ${shape} is invalid: patterns.email.pattern: Invalid input: expected string, received number`,
    });
  });
});
