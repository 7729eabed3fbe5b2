import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_GENESIS_HASH, type AuditEvent, type AuditEventInput } from '../../../../shared/audit';
import { AuditLog, verifyAuditDir, type AuditSealKeys } from './index';
import { serializeRecord } from './lib/record-format';

const T0 = Date.parse('2025-03-01T10:00:00.000Z');
// Frozen, and one second further on each call: timestamps are known in advance.
function steppingClock(start = T0) {
  let now = start;
  return () => {
    const d = new Date(now);
    now += 1000;
    return d;
  };
}

function event(i: number, extra: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    event_type: 'tool_call',
    tool_name: `tool-${i}`,
    user_id: 'local',
    client_id: 'client-a',
    contains_pii: false,
    action_taken: 'allowed',
    parameter_count: i % 4,
    ...extra,
  };
}

let dir: string;
let log: AuditLog | undefined;
// The seal's key, as the app's secret store would hold it (the seal itself: audit-seal.test.ts).
let sealKey: Buffer | undefined;
const seal: AuditSealKeys = {
  load: async () => sealKey,
  create: async () => (sealKey = randomBytes(32)),
};
const verify = (folder = dir) =>
  verifyAuditDir(folder, {
    sealKey: sealKey ? { state: 'found', key: sealKey } : { state: 'none', reason: '' },
  });
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'mcp-dock-audit-')), 'audit');
  sealKey = undefined;
});
afterEach(async () => {
  await log?.close();
  log = undefined;
  await rm(join(dir, '..'), { recursive: true, force: true });
});

async function openLog(options: Parameters<typeof AuditLog.open>[1] = {}) {
  log = await AuditLog.open(dir, { clock: steppingClock(), seal, ...options });
  return log;
}

async function writeN(n: number, from = 1) {
  const l = log ?? (await openLog());
  const out: AuditEvent[] = [];
  for (let i = from; i < from + n; i += 1) out.push(await l.append(event(i)));
  return out;
}

const current = () => join(dir, 'audit.jsonl');
const lines = async (file = current()) => (await readFile(file, 'utf8')).split('\n').slice(0, -1);
const writeLines = (ls: string[], file = current()) => writeFile(file, ls.map((l) => `${l}\n`).join(''));

describe('AuditLog: the chain', () => {
  it('writes the guide fields plus seq, prev_hash and hash, linked from the genesis hash', async () => {
    const [first, second] = await writeN(2);
    expect(first).toEqual({
      seq: 1,
      timestamp: '2025-03-01T10:00:00.000Z',
      event_type: 'tool_call',
      tool_name: 'tool-1',
      user_id: 'local',
      client_id: 'client-a',
      contains_pii: false,
      action_taken: 'allowed',
      parameter_count: 1,
      prev_hash: AUDIT_GENESIS_HASH,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(second).toMatchObject({ seq: 2, prev_hash: first!.hash, timestamp: '2025-03-01T10:00:01.000Z' });
    expect(log!.head).toEqual({ seq: 2, hash: second!.hash });
    const [line] = await lines();
    expect(JSON.parse(line!)).toEqual(first);
    expect(line!.endsWith(`,"prev_hash":"${AUDIT_GENESIS_HASH}","hash":"${first!.hash}"}`)).toBe(true);
    expect(await verify()).toEqual({
      ok: true,
      records: 2,
      files: 1,
      head: second!.hash,
      seal: {
        state: 'sealed',
        seq: 2,
        hash: second!.hash,
        after: 0,
        reason: 'the log ends at the sealed record, seq 2',
      },
    });
  });

  it('the hash is SHA-256 of the line without its hash field', async () => {
    const [e] = await writeN(1);
    const { createHash } = await import('node:crypto');
    const [line] = await lines();
    const s = line!.replace(/,"hash":"[0-9a-f]{64}"}$/, '}');
    expect(createHash('sha256').update(s).digest('hex')).toBe(e!.hash);
  });

  it('keeps optional fields and PII types, never anything it does not know', async () => {
    const l = await openLog();
    const e = await l.append(
      event(1, {
        contains_pii: true,
        pii_types: { EMAIL_ADDRESS: 2, PHONE_NUMBER: 1 },
        server: 'filesystem',
        outcome: 'rejected',
        detail: 'policy reject',
        duration_ms: 12.5,
        call_id: 'b3f1c9a0-0000-4000-8000-000000000001',
        timestamp: '2025-03-01T19:00:00+09:00',
      }),
    );
    expect(e).toMatchObject({
      timestamp: '2025-03-01T10:00:00.000Z',
      pii_types: { EMAIL_ADDRESS: 2, PHONE_NUMBER: 1 },
      outcome: 'rejected',
      duration_ms: 12.5,
      call_id: 'b3f1c9a0-0000-4000-8000-000000000001',
    });
    expect(JSON.parse((await lines())[0]!)).toEqual(e);
    await expect(l.append(event(2, { call_id: 'not a call id!' }))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('call_id'),
    });
    await expect(
      l.append({ ...event(2), parameters: { email: 'kim@example.com' } } as AuditEventInput),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^invalid audit event: \(root\): Unrecognized key: "parameters"/),
    });
    await expect(l.append(event(3, { event_type: 'has space' }))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('event_type'),
    });
    expect(await readFile(current(), 'utf8')).not.toContain('kim@example.com');
    expect((await lines()).length).toBe(1);
  });

  it('takes custom pattern names (letters, digits, _ . -) as PII types', async () => {
    const l = await openLog();
    const e = await l.append(event(1, { contains_pii: true, pii_types: { 'employee.id-v2': 1 } }));
    expect(e.pii_types).toEqual({ 'employee.id-v2': 1 });
  });

  it('cuts an over-long tool name instead of refusing the event', async () => {
    const e = await (await openLog()).append(event(1, { tool_name: 'x'.repeat(10_000) }));
    expect(e.tool_name).toHaveLength(256);
    expect(e.tool_name.endsWith('…')).toBe(true);
  });

  it('coalesces appends of one tick into one write, in call order, each resolving with its record', async () => {
    const l = await openLog();
    const events = await Promise.all(Array.from({ length: 1000 }, (_, i) => l.append(event(i))));
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(events.map((e) => e.tool_name)).toEqual(Array.from({ length: 1000 }, (_, i) => `tool-${i}`));
    expect(await verify()).toMatchObject({ ok: true, records: 1000 });
  });

  it('creates the folder 0700 and the file 0600, and continues the chain after reopening', async () => {
    await writeN(3);
    await log!.close();
    if (process.platform !== 'win32') {
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      expect((await stat(current())).mode & 0o777).toBe(0o600);
    }
    const again = await openLog();
    expect(again.recovered).toBeUndefined();
    expect((await again.append(event(4))).seq).toBe(4);
    expect(await verify()).toMatchObject({ ok: true, records: 4 });
  });

  it('refuses appends after close, but lands those made before', async () => {
    const l = await openLog();
    const pending = l.append(event(1));
    const closed = l.close();
    await expect(l.append(event(2))).rejects.toMatchObject({
      code: 'AUDIT_FAILED',
      message: 'The audit log cannot be used: it has been closed',
    });
    await closed;
    expect((await pending).seq).toBe(1);
    expect(await lines()).toHaveLength(1);
    log = undefined;
  });

  it('has one writer per folder, and takes over the lock of a writer that is gone', async () => {
    await openLog();
    await expect(AuditLog.open(dir, { seal })).rejects.toMatchObject({
      code: 'AUDIT_FAILED',
      message: `The audit log cannot be used: ${dir} is already open for writing in this process`,
    });
    await log!.close();
    // A lock left by a process that no longer exists (pid beyond any real one).
    await writeFile(join(dir, 'audit.lock'), JSON.stringify({ pid: 2 ** 31 - 2, boot: 0 }));
    log = await AuditLog.open(dir, { seal });
    await log.close();
    // One left by an earlier process that had our pid (a container restarted: pid 1 again).
    await writeFile(join(dir, 'audit.lock'), JSON.stringify({ pid: process.pid, boot: 0 }));
    log = await AuditLog.open(dir, { seal });
    expect((await log.append(event(1))).seq).toBe(1);
  });
});

describe('verifyAuditDir: tamper detection', () => {
  beforeEach(async () => {
    await writeN(6);
    await log!.close();
    log = undefined;
  });

  it.each<[string, (ls: string[]) => string[], { line: number; seq: number; reason: RegExp }]>([
    [
      'an edited field',
      (ls) => ls.map((l, i) => (i === 2 ? l.replace('"tool_name":"tool-3"', '"tool_name":"tool-X"') : l)),
      { line: 3, seq: 3, reason: /hash does not match its content: the record was altered/ },
    ],
    [
      'a flipped PII flag',
      (ls) => ls.map((l, i) => (i === 4 ? l.replace('"contains_pii":false', '"contains_pii":true') : l)),
      { line: 5, seq: 5, reason: /altered/ },
    ],
    [
      'a deleted line',
      (ls) => ls.filter((_, i) => i !== 2),
      { line: 3, seq: 3, reason: /^record 3 is missing or out of place: seq 4 is here$/ },
    ],
    [
      'two lines swapped',
      (ls) => [ls[0]!, ls[1]!, ls[3]!, ls[2]!, ls[4]!, ls[5]!],
      { line: 3, seq: 3, reason: /record 3 is missing or out of place: seq 4 is here/ },
    ],
    [
      'a repeated line',
      (ls) => [...ls.slice(0, 3), ls[2]!, ...ls.slice(3)],
      { line: 4, seq: 4, reason: /seq 3 is here, after seq 3: a record is repeated or out of order/ },
    ],
    [
      'a foreign line',
      (ls) => [...ls.slice(0, 2), '{"hello":"world"}', ...ls.slice(2)],
      { line: 3, seq: 3, reason: /not an audit record/ },
    ],
    [
      'a record rewritten with a fresh hash of its own',
      (ls) =>
        ls.map((l, i) => {
          if (i !== 1) return l;
          const e = JSON.parse(l) as AuditEvent;
          const { seq, prev_hash, hash: _hash, ...fields } = { ...e, user_id: 'someone-else' };
          return serializeRecord(seq, fields, prev_hash).line.trimEnd();
        }),
      { line: 3, seq: 3, reason: /prev_hash is not the previous record's hash: the chain is broken here/ },
    ],
  ])('names the first broken record after %s', async (_, edit, problem) => {
    await writeLines(edit(await lines()));
    const status = await verify();
    expect(status).toMatchObject({
      ok: false,
      records: problem.line - 1,
      files: 1,
      firstProblem: { file: 'audit.jsonl', line: problem.line, seq: problem.seq },
    });
    expect(status.firstProblem!.reason).toMatch(problem.reason);
  });

  it('reports a file cut off mid-line as an incomplete last line', async () => {
    const text = await readFile(current(), 'utf8');
    const cut = text.indexOf('\n', text.indexOf('"seq":4')) - 40;
    await truncate(current(), cut);
    const status = await verify();
    expect(status).toMatchObject({
      ok: false,
      records: 3,
      firstProblem: { file: 'audit.jsonl', line: 4, seq: 4, reason: expect.stringMatching(/incomplete/) },
    });
  });

  it('says when there is no audit folder', async () => {
    await expect(verifyAuditDir(join(dir, 'nope'))).rejects.toMatchObject({
      code: 'AUDIT_FAILED',
      message: `The audit log cannot be used: there is no audit folder at ${join(dir, 'nope')}`,
    });
  });

  it('an empty folder is an intact, empty chain, sealed at seq 0', async () => {
    const empty = join(dir, '..', 'empty');
    await (await AuditLog.open(empty, { seal })).close();
    expect(await verify(empty)).toMatchObject({
      ok: true,
      records: 0,
      files: 1,
      head: AUDIT_GENESIS_HASH,
      seal: { state: 'sealed', seq: 0, hash: AUDIT_GENESIS_HASH },
    });
  });
});

describe('AuditLog: rotation', () => {
  it('rotates by size into numbered files and keeps one chain across them and across reopening', async () => {
    const l = await openLog({ maxFileBytes: 1000 });
    for (let i = 1; i <= 7; i += 1) await l.append(event(i));
    await Promise.all(Array.from({ length: 10 }, (_, i) => l.append(event(100 + i))));
    await l.close();
    const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
    expect(files[0]).toBe('audit-000001.jsonl');
    expect(files.at(-1)).toBe('audit.jsonl');
    for (const f of files) expect((await stat(join(dir, f))).size).toBeLessThanOrEqual(1000);
    expect(JSON.parse((await lines(join(dir, 'audit-000002.jsonl')))[0]!)).toMatchObject({
      prev_hash: JSON.parse((await lines(join(dir, 'audit-000001.jsonl'))).at(-1)!).hash,
    });
    const status = await verify();
    expect(status).toMatchObject({ ok: true, records: 17, files: files.length });

    const again = await openLog({ maxFileBytes: 1000 });
    for (let i = 0; i < 5; i += 1) await again.append(event(200 + i));
    await again.close();
    log = undefined;
    expect(await verify()).toMatchObject({ ok: true, records: 22 });
    const after = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
    expect(after.length).toBeGreaterThan(files.length);
    expect(after.slice(0, files.length - 1)).toEqual(files.slice(0, -1));
  });

  it('notices a missing rotated file', async () => {
    const l = await openLog({ maxFileBytes: 1000 });
    for (let i = 1; i <= 12; i += 1) await l.append(event(i));
    await l.close();
    log = undefined;
    const first = await lines(join(dir, 'audit-000001.jsonl'));
    await rm(join(dir, 'audit-000002.jsonl'));
    const status = await verify();
    expect(status).toMatchObject({
      ok: false,
      records: first.length,
      firstProblem: { file: 'audit-000003.jsonl', line: 1, seq: first.length + 1 },
    });
    expect(status.firstProblem!.reason).toMatch(/is missing or out of place: .*; a file is missing$/);
  });
});

describe('AuditLog: a torn last line', () => {
  it('is moved to a sidecar on open, and the chain continues from the last whole record', async () => {
    await writeN(5);
    await log!.close();
    const partial = '{"seq":6,"timestamp":"2025-03-01T10:00:05.000Z","event_ty';
    await appendFile(current(), partial);
    expect(await verify()).toMatchObject({ ok: false, firstProblem: { line: 6, seq: 6 } });

    const l = await openLog({ clock: () => new Date('2025-03-02T00:00:00.000Z') });
    expect(l.recovered).toEqual({
      file: join(dir, 'audit.jsonl.torn-2025-03-02T00-00-00-000Z'),
      bytes: Buffer.byteLength(partial),
    });
    expect(await readFile(l.recovered!.file, 'utf8')).toBe(partial);
    expect((await l.append(event(6))).seq).toBe(6);
    expect(await verify()).toMatchObject({ ok: true, records: 6 });
  });

  it('refuses to continue from a last record that is not valid, naming it', async () => {
    await writeN(3);
    await log!.close();
    log = undefined;
    const ls = await lines();
    await writeLines([...ls.slice(0, 2), ls[2]!.replace('tool-3', 'tool-9')]);
    await expect(AuditLog.open(dir, { seal })).rejects.toMatchObject({
      code: 'AUDIT_CHAIN_BROKEN',
      message: expect.stringMatching(
        new RegExp(
          `^${current().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line 3 is not a valid audit record \\(.*altered`,
        ),
      ),
    });
    // The lock was released: once fixed, the log opens again.
    await writeLines(ls);
    log = await AuditLog.open(dir, { seal });
  });
});

describe('AuditLog: query, export, subscribe', () => {
  beforeEach(async () => {
    const l = await openLog();
    await l.append(event(1, { event_type: 'tool_call', tool_name: 'read_file', client_id: 'a' }));
    await l.append(
      event(2, {
        event_type: 'pii_detected',
        tool_name: 'send_mail',
        client_id: 'b',
        contains_pii: true,
        pii_types: { EMAIL_ADDRESS: 2, KR_RRN: 1 },
      }),
    );
    await l.append(event(3, { event_type: 'tool_call', tool_name: 'send_mail', client_id: 'a' }));
    await l.append(
      event(4, { event_type: 'auth_failure', tool_name: '', client_id: 'c', outcome: 'denied' }),
    );
  });

  const seqs = (events: AuditEvent[]) => events.map((e) => e.seq);

  it.each<[string, Parameters<AuditLog['query']>[0], number[]]>([
    ['everything, newest first', {}, [4, 3, 2, 1]],
    ['oldest first', { order: 'asc' }, [1, 2, 3, 4]],
    ['a limit', { limit: 2 }, [4, 3]],
    ['a limit, oldest first', { limit: 2, order: 'asc' }, [1, 2]],
    ['an event type', { event_type: 'tool_call' }, [3, 1]],
    ['a tool', { tool_name: 'send_mail' }, [3, 2]],
    ['a client', { client_id: 'a', order: 'asc' }, [1, 3]],
    ['PII', { contains_pii: true }, [2]],
    ['no PII', { contains_pii: false }, [4, 3, 1]],
    ['from (inclusive)', { from: '2025-03-01T10:00:01.000Z' }, [4, 3, 2]],
    ['to (exclusive)', { to: '2025-03-01T10:00:02Z' }, [2, 1]],
    [
      'a range in another zone',
      { from: '2025-03-01T19:00:01+09:00', to: '2025-03-01T19:00:03+09:00' },
      [3, 2],
    ],
    ['nothing', { client_id: 'nobody' }, []],
  ])('filters by %s', async (_, q, expected) => {
    expect(seqs(await log!.query(q))).toEqual(expected);
  });

  it('refuses a bad query by code and message', async () => {
    await expect(log!.query({ limit: 0 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'invalid audit query: limit: Too small: expected number to be >=1',
    });
  });

  it('reports a damaged line by file and line, without crashing', async () => {
    const ls = await lines();
    await log!.close();
    log = undefined;
    await writeLines([ls[0]!, ls[1]!.replace('"contains_pii":true', '"contains_pii":"yes"'), ls[2]!, ls[3]!]);
    log = await AuditLog.open(dir, { seal });
    await expect(log.query({})).rejects.toMatchObject({
      code: 'AUDIT_CHAIN_BROKEN',
      message: `${current()} line 2 is not a valid audit record (contains_pii: Invalid input: expected boolean, received string). Run \`mcp-dock audit verify\` to check the whole chain.`,
    });
  });

  it('exports JSONL as the records were logged', async () => {
    const text = await log!.export({ order: 'asc' }, 'jsonl');
    expect(text).toBe(await readFile(current(), 'utf8'));
    expect(await log!.export({ tool_name: 'send_mail' }, 'jsonl')).toBe(
      `${(await lines())[2]}\n${(await lines())[1]}\n`,
    );
  });

  it('exports CSV with a header, RFC 4180 quoting, PII types as TYPE:count and no formulas', async () => {
    await log!.append(
      event(5, {
        tool_name: 'say "hi", then stop',
        client_id: '=HYPERLINK("http://evil")',
        detail: 'two\nlines',
        duration_ms: 3,
      }),
    );
    const csv = await log!.export({ order: 'asc', contains_pii: true }, 'csv');
    const [header, row, end] = csv.split('\r\n');
    expect(header).toBe(
      'seq,timestamp,event_type,tool_name,user_id,client_id,contains_pii,pii_types,action_taken,parameter_count,server,outcome,detail,duration_ms,prev_hash,hash,call_id',
    );
    const two = (await log!.query({ contains_pii: true }))[0]!;
    expect(row).toBe(
      `2,2025-03-01T10:00:01.000Z,pii_detected,send_mail,local,b,true,EMAIL_ADDRESS:2;KR_RRN:1,allowed,2,,,,,${two.prev_hash},${two.hash},`,
    );
    expect(end).toBe('');
    const last = (await log!.export({ limit: 1 }, 'csv')).split('\r\n')[1];
    expect(last).toMatch(
      /^5,2025-03-01T10:00:04\.000Z,tool_call,"say ""hi"", then stop",local,"'=HYPERLINK\(""http:\/\/evil""\)",false,,allowed,1,,,"two\nlines",3,[0-9a-f]{64},[0-9a-f]{64},$/,
    );
  });

  it('tells subscribers about each event once written, until they unsubscribe', async () => {
    const seen: AuditEvent[] = [];
    const stop = log!.subscribe((e) => seen.push(e));
    log!.subscribe(() => {
      throw new Error('a broken listener');
    });
    const [a, b] = await Promise.all([log!.append(event(5)), log!.append(event(6))]);
    expect(seen).toEqual([a, b]);
    stop();
    await log!.append(event(7));
    expect(seqs(seen)).toEqual([5, 6]);
    expect(await verify()).toMatchObject({ ok: true, records: 7 });
  });
});
