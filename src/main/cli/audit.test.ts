import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../core/security/audit';
import { audit } from './commands/audit';
import { handleError } from './handle-error';
import type { CliIo } from './io';

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const raw: Buffer[] = [];
  const value: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    signal: new AbortController().signal,
    env,
    writeRaw: (data) => raw.push(data),
  };
  return { value, out, err, raw: () => Buffer.concat(raw).toString() };
}

// What runCommand does around a command: errors become a message and an exit code.
const run = (argv: string[], c: ReturnType<typeof io>) =>
  audit(argv, c.value).catch((e) => handleError(e, c.value));

let dataDir: string;
let auditDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-audit-cli-'));
  auditDir = join(dataDir, 'audit');
  let t = Date.parse('2025-03-01T10:00:00.000Z');
  const log = await AuditLog.open(auditDir, { clock: () => new Date((t += 60_000)) });
  for (let i = 1; i <= 5; i += 1)
    await log.append({
      event_type: i === 3 ? 'pii_detected' : 'tool_call',
      tool_name: i % 2 ? 'read_file' : 'send_mail',
      user_id: 'local',
      client_id: `client-${i % 2}`,
      contains_pii: i === 3,
      ...(i === 3 ? { pii_types: { EMAIL_ADDRESS: 1 } } : {}),
      action_taken: 'allowed',
      parameter_count: 1,
    });
  await log.close();
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const current = () => join(auditDir, 'audit.jsonl');

describe('mcp-dock audit verify', () => {
  it('finds the audit folder in the data directory and prints one line', async () => {
    const c = io({ MCP_DOCK_DATA_DIR: dataDir });
    expect(await run(['verify'], c)).toBe(0);
    const head = JSON.parse((await readFile(current(), 'utf8')).trim().split('\n').at(-1)!).hash as string;
    expect(c.out).toEqual([`ok: 5 records in 1 files, head ${head.slice(0, 16)}`]);
    const flag = io();
    expect(await run(['verify', '--data-dir', dataDir], flag)).toBe(0);
    expect(flag.out).toEqual(c.out);
  });

  it('takes DIR, prints JSON with --json, and exits 1 naming the first broken record', async () => {
    const lines = (await readFile(current(), 'utf8')).split('\n');
    lines[3] = lines[3]!.replace('"parameter_count":1', '"parameter_count":0');
    await writeFile(current(), lines.join('\n'));
    const c = io();
    expect(await run(['verify', auditDir], c)).toBe(1);
    expect(c.out).toEqual([
      `broken: ${current()} line 4 (seq 4): its hash does not match its content: the record was altered; 3 records before it check out`,
    ]);
    const j = io();
    expect(await run(['verify', '--json', auditDir], j)).toBe(1);
    expect(JSON.parse(j.out[0]!)).toMatchObject({
      ok: false,
      records: 3,
      files: 1,
      firstProblem: { file: 'audit.jsonl', line: 4, seq: 4 },
    });
  });

  it.each([
    [
      ['verify', join('/nonexistent', 'audit')],
      1,
      /^mcp-dock: The audit log cannot be used: there is no audit folder at/,
    ],
    [['verify', 'a', 'b'], 2, /expected at most one DIR/],
    [['verify', '--bogus'], 2, /Unknown option '--bogus'/],
    [['explode'], 2, /unknown audit subcommand "explode"/],
  ])('audit %j fails clearly', async (argv, code, pattern) => {
    const c = io();
    expect(await run(argv, c)).toBe(code);
    expect(c.err.join('\n')).toMatch(pattern);
  });
});

describe('mcp-dock audit export', () => {
  it('writes JSONL oldest first, exactly as logged', async () => {
    const c = io({ MCP_DOCK_DATA_DIR: dataDir });
    expect(await run(['export'], c)).toBe(0);
    expect(c.raw()).toBe(await readFile(current(), 'utf8'));
  });

  it('filters by type, tool, client, PII and time, as CSV', async () => {
    const c = io();
    expect(await run(['export', auditDir, '--format', 'csv', '--tool', 'read_file', '--no-pii'], c)).toBe(0);
    const rows = c.raw().split('\r\n');
    expect(rows[0]).toMatch(/^seq,timestamp,event_type,tool_name,/);
    expect(rows.slice(1, -1).map((r) => r.split(',')[0])).toEqual(['1', '5']);

    const pii = io();
    expect(await run(['export', auditDir, '--format', 'csv', '--pii'], pii)).toBe(0);
    expect(pii.raw().split('\r\n')[1]).toMatch(
      /^3,2025-03-01T10:03:00.000Z,pii_detected,read_file,local,client-1,true,EMAIL_ADDRESS:1,/,
    );

    const range = io();
    expect(
      await run(
        [
          'export',
          auditDir,
          '--from',
          '2025-03-01T10:02:00Z',
          '--to',
          '2025-03-01T10:04:00Z',
          '--order',
          'desc',
        ],
        range,
      ),
    ).toBe(0);
    expect(
      range
        .raw()
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { seq: number }).seq),
    ).toEqual([3, 2]);

    const day = io();
    expect(
      await run(
        ['export', auditDir, '--from', '2025-03-01', '--type', 'tool_call', '--client', 'client-0'],
        day,
      ),
    ).toBe(0);
    expect(
      day
        .raw()
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { seq: number }).seq),
    ).toEqual([2, 4]);
  });

  it('says when --limit cut the export short', async () => {
    const c = io();
    expect(await run(['export', auditDir, '--limit', '2'], c)).toBe(0);
    expect(c.raw().trim().split('\n')).toHaveLength(2);
    expect(c.err).toEqual(['mcp-dock: stopped at --limit 2 records; narrow the range for the rest']);
  });

  it.each([
    [['export', '--pii', '--no-pii'], /--pii and --no-pii exclude each other/],
    [['export', '--format', 'xml'], /format: Invalid option: expected one of "jsonl"\|"csv"/],
    [['export', '--limit', '0'], /limit: Too small/],
    [['export', '--from', 'yesterday'], /^mcp-dock: from: Invalid ISO datetime/],
  ])('export %j fails clearly', async (argv, pattern) => {
    const c = io({ MCP_DOCK_DATA_DIR: dataDir });
    expect(await run(argv, c)).toBe(2);
    expect(c.err.join('\n')).toMatch(pattern);
  });
});
