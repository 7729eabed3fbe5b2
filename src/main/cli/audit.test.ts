import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileKeyProvider } from '../core/secrets/key-provider';
import { openSecretStore } from '../core/secrets/secret-store';
import { AuditLog, secretStoreSealKeys } from '../core/security/audit';
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
  // Sealed as the app seals it: the key in the data directory's own secret store.
  const secrets = await openSecretStore(dataDir, fileKeyProvider(dataDir));
  const log = await AuditLog.open(auditDir, {
    clock: () => new Date((t += 60_000)),
    seal: secretStoreSealKeys(secrets),
  });
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

const headOf = async () =>
  (JSON.parse((await readFile(current(), 'utf8')).trim().split('\n').at(-1)!) as { hash: string }).hash;

describe('mcp-dock audit verify', () => {
  it('finds the audit folder in the data directory and prints one line', async () => {
    const c = io({ MCP_DOCK_DATA_DIR: dataDir });
    expect(await run(['verify'], c)).toBe(0);
    const head = await headOf();
    expect(c.out).toEqual([`ok: 5 records in 1 files, head ${head.slice(0, 16)}, sealed at seq 5`]);
    const flag = io();
    expect(await run(['verify', '--data-dir', dataDir], flag)).toBe(0);
    expect(flag.out).toEqual(c.out);
    // The data directory itself as DIR, or its audit folder: the same log, the same key.
    for (const dir of [dataDir, auditDir]) {
      const given = io();
      expect(await run(['verify', dir], given)).toBe(0);
      expect(given.out).toEqual(c.out);
    }
  });

  it('fails on a missing or empty log instead of calling it ok', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'mcp-dock-audit-cli-empty-'));
    try {
      const none = io();
      expect(await run(['verify', fresh], none)).toBe(1);
      expect(none.out).toEqual([
        `empty: no audit records in ${fresh} (a data directory has them in its audit folder, and this one has none)`,
      ]);
      const missing = io({ MCP_DOCK_DATA_DIR: fresh });
      expect(await run(['verify'], missing)).toBe(1);
      expect(missing.err.join('\n')).toMatch(/there is no audit folder at .*audit$/);

      // A log that was opened but never written: sealed, and empty.
      const secrets = await openSecretStore(fresh, fileKeyProvider(fresh));
      await (await AuditLog.open(join(fresh, 'audit'), { seal: secretStoreSealKeys(secrets) })).close();
      const empty = io();
      expect(await run(['verify', fresh], empty)).toBe(1);
      expect(empty.out).toEqual([`empty: no audit records in ${join(fresh, 'audit')}`]);
      const json = io();
      expect(await run(['verify', '--json', fresh], json)).toBe(1);
      expect(JSON.parse(json.out[0]!)).toMatchObject({ records: 0, seal: { state: 'sealed', seq: 0 } });
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it('reports records cut off the end as broken, naming where they went missing', async () => {
    const lines = (await readFile(current(), 'utf8')).split('\n');
    await writeFile(
      current(),
      lines
        .slice(0, 3)
        .map((l) => `${l}\n`)
        .join(''),
    );
    const c = io({ MCP_DOCK_DATA_DIR: dataDir });
    expect(await run(['verify'], c)).toBe(1);
    expect(c.out).toEqual([
      `broken: ${current()} line 4 (seq 4): records 4 to 5 are missing from the end: the log was sealed at seq 5, and ends at seq 3; 3 records before it check out`,
    ]);
    const j = io({ MCP_DOCK_DATA_DIR: dataDir });
    expect(await run(['verify', '--json'], j)).toBe(1);
    expect(JSON.parse(j.out[0]!)).toMatchObject({ ok: false, seal: { state: 'truncated', seq: 5 } });
  });

  it('says the head is unverifiable, not ok, for an audit folder without its data directory', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'mcp-dock-audit-cli-copy-'));
    try {
      const copy = join(elsewhere, 'exported');
      await cp(auditDir, copy, { recursive: true });
      const c = io();
      expect(await run(['verify', copy], c)).toBe(1);
      expect(c.out).toEqual([
        `unverifiable: 5 records in 1 files chain correctly, head ${(await headOf()).slice(0, 16)}, but the sealed head cannot be checked: no seal key was given to check the seal with (pass the data directory, not only its audit folder)`,
      ]);
      // --data-dir names where the key is.
      const keyed = io();
      expect(await run(['verify', copy, '--data-dir', dataDir], keyed)).toBe(0);
      expect(keyed.out[0]).toMatch(/^ok: 5 records in 1 files, head [0-9a-f]{16}, sealed at seq 5$/);

      // The desktop app's secret store, locked with the OS keychain: only the app can check.
      await rename(join(dataDir, 'secret.key'), join(dataDir, 'secret.key.safe'));
      const locked = io({ MCP_DOCK_DATA_DIR: dataDir });
      expect(await run(['verify'], locked)).toBe(1);
      expect(locked.out[0]).toMatch(
        /^unverifiable: 5 records in 1 files chain correctly, head [0-9a-f]{16}, but the sealed head cannot be checked: The secret store cannot be used: it is locked with the OS keychain \(.*secret\.key\.safe\), which only the MCP Dock app can open: use Re-verify in the app's Audit pane$/,
      );

      // Never sealed (a log from before sealing): said as such.
      const old = join(elsewhere, 'old', 'audit');
      await mkdir(old, { recursive: true });
      await (
        await AuditLog.open(old)
      ).append({
        event_type: 'tool_call',
        tool_name: 't',
        user_id: 'u',
        client_id: 'c',
        contains_pii: false,
        action_taken: 'allowed',
        parameter_count: 0,
      });
      const unsealed = io();
      expect(await run(['verify', join(elsewhere, 'old')], unsealed)).toBe(1);
      expect(unsealed.out[0]).toMatch(
        /^not sealed: 1 records in 1 files chain correctly, head [0-9a-f]{16}, but the head is not sealed: there is no audit\.seal in the folder and no seal key in the secret store/,
      );
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
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
