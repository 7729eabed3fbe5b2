import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pii } from './commands/pii';
import { handleError } from './handle-error';
import type { CliIo } from './io';

function io(stdin = '', stream?: Readable) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    signal: new AbortController().signal,
    env: {},
    stdin: async () => Buffer.from(stdin),
    ...(stream ? { stdio: { input: stream, output: process.stdout } } : {}),
  };
  return { value, out, err };
}

// As the entry file runs it: errors become a message on stderr and an exit code.
async function run(argv: string[], c: ReturnType<typeof io>): Promise<number> {
  try {
    return await pii(argv, c.value);
  } catch (error) {
    return handleError(error, c.value);
  }
}

describe('mcp-dock pii scan', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pii-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints the guide example's findings as one JSON document", async () => {
    const c = io('고객 정보: 홍길동님 (hong@example.com, 010-1234-5678)');
    expect(await run(['scan'], c)).toBe(0);
    expect(c.out).toHaveLength(1);
    expect(JSON.parse(c.out[0]!)).toEqual({
      findings: [
        { type: 'PERSON', start: 7, end: 10, score: 0.6 },
        { type: 'EMAIL_ADDRESS', start: 13, end: 29, score: 0.95 },
        { type: 'PHONE_NUMBER', start: 31, end: 44, score: 0.85 },
      ],
    });
    expect(c.err).toEqual([]);
  });

  it('honours --threshold and --entities', async () => {
    const text = '홍길동님 hong@example.com 010-1234-5678';
    const high = io(text);
    expect(await run(['scan', '--threshold', '0.9'], high)).toBe(0);
    expect(JSON.parse(high.out[0]!).findings.map((f: { type: string }) => f.type)).toEqual(['EMAIL_ADDRESS']);
    const some = io(text);
    expect(await run(['scan', '--entities', 'PHONE_NUMBER, PERSON'], some)).toBe(0);
    expect(JSON.parse(some.out[0]!).findings.map((f: { type: string }) => f.type)).toEqual([
      'PERSON',
      'PHONE_NUMBER',
    ]);
  });

  it('adds a custom pattern file, and accepts its types in --entities', async () => {
    const file = join(dir, 'patterns.json');
    await writeFile(
      file,
      JSON.stringify({ patterns: { employee_id: { pattern: '\\bEMP-\\d{6}\\b', score: 0.8 } } }),
    );
    const c = io('사번 EMP-123456, mail hong@example.com');
    expect(await run(['scan', '--patterns', file, '--entities', 'employee_id'], c)).toBe(0);
    expect(c.out).toEqual(['{"findings":[{"type":"employee_id","start":3,"end":13,"score":0.8}]}']);
  });

  it('scans as the app on --data-dir does: its pattern file and threshold, flags still winning', async () => {
    const dataDir = join(dir, 'data');
    await mkdir(dataDir);
    await writeFile(
      join(dataDir, 'security.json'),
      JSON.stringify({ threshold: 0.7, patternsFile: 'pii_patterns.json' }),
    );
    await writeFile(
      join(dataDir, 'pii_patterns.json'),
      JSON.stringify({ patterns: { employee_id: { pattern: '\\bEMP-\\d{6}\\b', score: 0.8 } } }),
    );
    const text = '홍길동님 EMP-123456 hong@example.com';
    const c = io(text);
    expect(await run(['scan', '--data-dir', dataDir], c)).toBe(0);
    expect(JSON.parse(c.out[0]!).findings.map((f: { type: string }) => f.type)).toEqual([
      'employee_id',
      'EMAIL_ADDRESS',
    ]);
    const low = io(text);
    expect(
      await run(['scan', '--data-dir', dataDir, '--threshold', '0.5', '--entities', 'PERSON'], low),
    ).toBe(0);
    expect(JSON.parse(low.out[0]!).findings.map((f: { type: string }) => f.type)).toEqual(['PERSON']);
    const missing = io(text);
    expect(await run(['scan', '--data-dir', join(dir, 'nowhere')], missing)).toBe(1);
    expect(missing.err).toEqual([
      `mcp-dock: Data directory ${join(dir, 'nowhere')} cannot be used: it does not exist`,
    ]);
  });

  it('says timedOut only when a scan ran out of time', async () => {
    const c = io('010-1234-5678 '.repeat(200_000));
    expect(await run(['scan', '--time-budget', '1'], c)).toBe(0);
    expect(JSON.parse(c.out[0]!)).toMatchObject({ timedOut: true });
    const quick = io('nothing here');
    expect(await run(['scan'], quick)).toBe(0);
    expect(quick.out).toEqual(['{"findings":[]}']);
  });

  it('answers a batch line by line with --jsonl, skipping blank lines', async () => {
    const c = io('{"text": "hong@example.com"}\n\n{"text": "nothing"}\r\n{"text": "010-1234-5678"}\n');
    expect(await run(['scan', '--jsonl'], c)).toBe(0);
    expect(c.out).toEqual([
      '{"findings":[{"type":"EMAIL_ADDRESS","start":0,"end":16,"score":0.95}]}',
      '{"findings":[]}',
      '{"findings":[{"type":"PHONE_NUMBER","start":0,"end":13,"score":0.85}]}',
    ]);
  });

  it('reads --jsonl from a stream as lines arrive', async () => {
    const stream = Readable.from(['{"text": "hong@exa', 'mple.com"}\n{"text": "x"}', '\n']);
    const c = io('', stream);
    expect(await run(['scan', '--jsonl'], c)).toBe(0);
    expect(c.out).toEqual([
      '{"findings":[{"type":"EMAIL_ADDRESS","start":0,"end":16,"score":0.95}]}',
      '{"findings":[]}',
    ]);
  });

  it.each([
    [
      '{"text": "hong@example.com"}\n{"text": 1}\n{"text": "x"}',
      'mcp-dock: line 2: expected {"text": "..."}',
    ],
    ['{"text": "hong@example.com"}\nnot json\n', /^mcp-dock: line 2 is not JSON: /],
  ])('stops at a bad line, naming it, after printing the lines before it', async (stdin, message) => {
    const c = io(stdin);
    expect(await run(['scan', '--jsonl'], c)).toBe(1);
    expect(c.out).toHaveLength(1);
    expect(c.err).toHaveLength(1);
    expect(c.err[0]).toMatch(message);
  });

  it('reports a missing or unsafe pattern file clearly', async () => {
    const missing = io('x');
    expect(await run(['scan', '--patterns', join(dir, 'nope.json')], missing)).toBe(1);
    expect(missing.err).toEqual([`mcp-dock: pattern file ${join(dir, 'nope.json')} cannot be read (ENOENT)`]);
    const file = join(dir, 'evil.json');
    await writeFile(file, '{"evil": "(a|a)*b"}');
    const unsafe = io('x');
    expect(await run(['scan', '--patterns', file], unsafe)).toBe(1);
    expect(unsafe.err[0]).toMatch(
      new RegExp(
        `^mcp-dock: pattern "evil" in pattern file .*evil\\.json is refused: it can backtrack catastrophically`,
      ),
    );
  });

  it.each([
    [['scan', '--threshold', '2'], /threshold: Too big/],
    [['scan', '--entities', 'EMAIL'], /unknown entity "EMAIL"/],
    [['scan', '--entities', ','], /--entities needs at least one type/],
    [['scan', '--bogus'], /Unknown option '--bogus'/],
    [['explode'], /unknown pii subcommand "explode"/],
  ])('pii %j is a usage error', async (argv, message) => {
    const c = io('x');
    expect(await run(argv, c)).toBe(2);
    expect(c.err.join('\n')).toMatch(message);
  });

  it('prints its usage for --help', async () => {
    const c = io();
    expect(await run(['scan', '--help'], c)).toBe(0);
    expect(c.out[0]).toMatch(/^Usage:\n {2}mcp-dock pii scan/);
    const bare = io();
    expect(await run([], bare)).toBe(2);
  });
});
