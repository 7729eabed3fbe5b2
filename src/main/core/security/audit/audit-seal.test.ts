import { randomBytes } from 'node:crypto';
import { writeSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent, AuditEventInput } from '../../../../shared/audit';
import { AuditLog, verifyAuditDir, type AuditSealKeys, type SealKeyLookup } from './index';
import { serializeRecord } from './lib/record-format';

const T0 = Date.parse('2025-03-01T10:00:00.000Z');
function steppingClock(start = T0) {
  let now = start;
  return () => new Date((now += 1000));
}

function event(i: number): AuditEventInput {
  return {
    event_type: 'tool_call',
    tool_name: `tool-${i}`,
    user_id: 'local',
    client_id: 'client-a',
    contains_pii: false,
    action_taken: 'allowed',
    parameter_count: 1,
  };
}

// The seal key as a secret store would keep it: made once, then loaded.
function memoryKeys(initial?: Buffer): AuditSealKeys & { key(): Buffer | undefined } {
  let key = initial;
  return {
    load: async () => key,
    create: async () => (key = randomBytes(32)),
    key: () => key,
  };
}

let root: string;
let dir: string;
let keys: ReturnType<typeof memoryKeys>;
let log: AuditLog | undefined;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mcp-dock-seal-'));
  dir = join(root, 'audit');
  keys = memoryKeys();
});
afterEach(async () => {
  await log?.close();
  log = undefined;
  await rm(root, { recursive: true, force: true });
});

async function openLog(options: Parameters<typeof AuditLog.open>[1] = {}) {
  log = await AuditLog.open(dir, { clock: steppingClock(), seal: keys, ...options });
  return log;
}

async function writeAndClose(n: number, options: Parameters<typeof AuditLog.open>[1] = {}) {
  const l = await openLog(options);
  const out: AuditEvent[] = [];
  for (let i = 1; i <= n; i += 1) out.push(await l.append(event(i)));
  await l.close();
  log = undefined;
  return out;
}

const found = (): SealKeyLookup => ({ state: 'found', key: keys.key()! });
const current = () => join(dir, 'audit.jsonl');
const lines = async (file = current()) => (await readFile(file, 'utf8')).split('\n').slice(0, -1);
const writeLines = (ls: string[], file = current()) => writeFile(file, ls.map((l) => `${l}\n`).join(''));

// Edits record `at` (0-based line) and recomputes every later hash, as an attacker who knows the
// format would: each line checks out and links to the one before.
function rechain(ls: string[], at: number, edit: (e: AuditEvent) => AuditEvent): string[] {
  let prev = at === 0 ? undefined : (JSON.parse(ls[at - 1]!) as AuditEvent).hash;
  return ls.map((l, i) => {
    if (i < at) return l;
    const e = JSON.parse(l) as AuditEvent;
    const { seq, prev_hash, hash: _hash, ...fields } = i === at ? edit(e) : e;
    const record = serializeRecord(seq, fields, prev ?? prev_hash);
    prev = record.event.hash;
    return record.line.trimEnd();
  });
}

describe('the sealed head: what verify catches', () => {
  it('an intact, sealed log verifies, naming the sealed head', async () => {
    const events = await writeAndClose(4);
    const status = await verifyAuditDir(dir, { sealKey: found() });
    expect(status).toMatchObject({
      ok: true,
      records: 4,
      head: events[3]!.hash,
      seal: { state: 'sealed', seq: 4, hash: events[3]!.hash, after: 0 },
    });
    expect(status.firstProblem).toBeUndefined();
  });

  it('records cut off the end', async () => {
    await writeAndClose(6);
    await writeLines((await lines()).slice(0, 4));
    const status = await verifyAuditDir(dir, { sealKey: found() });
    expect(status).toMatchObject({
      ok: false,
      records: 4,
      seal: { state: 'truncated', seq: 6 },
      firstProblem: { file: 'audit.jsonl', line: 5, seq: 5 },
    });
    expect(status.firstProblem!.reason).toBe(
      'records 5 to 6 are missing from the end: the log was sealed at seq 6, and ends at seq 4',
    );
  });

  it('the whole current file deleted', async () => {
    await writeAndClose(8, { maxFileBytes: 700 });
    const rotated = (await readdir(dir)).filter((f) => /^audit-\d+\.jsonl$/.test(f));
    expect(rotated.length).toBeGreaterThan(0);
    const before = (await lines()).length;
    await rm(current());
    const status = await verifyAuditDir(dir, { sealKey: found() });
    expect(status).toMatchObject({ ok: false, records: 8 - before, seal: { state: 'truncated', seq: 8 } });
    expect(status.firstProblem!.reason).toMatch(/^records? \d+( to 8)? (is|are) missing from the end/);
  });

  it('every record deleted', async () => {
    await writeAndClose(3);
    await writeFile(current(), '');
    const status = await verifyAuditDir(dir, { sealKey: found() });
    expect(status).toMatchObject({ ok: false, records: 0, seal: { state: 'truncated', seq: 3 } });
  });

  it('a record edited and every later hash recomputed', async () => {
    const events = await writeAndClose(6);
    const edited = rechain(await lines(), 2, (e) => ({ ...e, client_id: 'someone-else' }));
    await writeLines(edited);
    // The chain alone cannot tell: every line checks out.
    expect((await verifyAuditDir(dir, { sealKey: found() })).records).toBe(6);
    const status = await verifyAuditDir(dir, { sealKey: found() });
    expect(status).toMatchObject({
      ok: false,
      seal: { state: 'rechained', seq: 6, hash: events[5]!.hash },
      firstProblem: { file: 'audit.jsonl', line: 6, seq: 6 },
    });
    expect(status.firstProblem!.reason).toBe(
      'record 6 is not the record that was sealed: records up to it were altered and their hashes recomputed',
    );
  });

  it('the last record replaced by a forged one and chained on', async () => {
    await writeAndClose(3);
    const ls = await lines();
    const forged = rechain(ls, 2, (e) => ({ ...e, tool_name: 'harmless' }));
    await writeLines(forged);
    expect(await verifyAuditDir(dir, { sealKey: found() })).toMatchObject({
      ok: false,
      seal: { state: 'rechained' },
    });
  });

  it('a deleted seal', async () => {
    await writeAndClose(2);
    await rm(join(dir, 'audit.seal'));
    const status = await verifyAuditDir(dir, { sealKey: found() });
    expect(status).toMatchObject({
      ok: false,
      records: 2,
      seal: { state: 'missing' },
      firstProblem: { file: 'audit.seal', line: 1 },
    });
    expect(status.firstProblem!.reason).toMatch(/^the seal is missing/);
  });

  it('a seal made with another key, or edited', async () => {
    await writeAndClose(2);
    const other = await verifyAuditDir(dir, { sealKey: { state: 'found', key: randomBytes(32) } });
    expect(other).toMatchObject({ ok: false, seal: { state: 'invalid' } });
    expect(other.firstProblem!.reason).toMatch(/the seal does not check out with this data directory's key/);

    const seal = await readFile(join(dir, 'audit.seal'), 'utf8');
    await writeFile(join(dir, 'audit.seal'), seal.replace('"seq":2', '"seq":1'));
    expect(await verifyAuditDir(dir, { sealKey: found() })).toMatchObject({
      ok: false,
      seal: { state: 'invalid' },
    });
  });

  it('without the key the head is unverifiable, never ok', async () => {
    await writeAndClose(3);
    const status = await verifyAuditDir(dir);
    expect(status).toMatchObject({ ok: false, records: 3, seal: { state: 'unverifiable', seq: 3 } });
    expect(status.firstProblem).toBeUndefined();
    expect(status.seal!.reason).toMatch(/no seal key was given/);

    // Still worth saying when the unchecked seal already disagrees with the log.
    await writeLines((await lines()).slice(0, 1));
    const cut = await verifyAuditDir(dir, {
      sealKey: { state: 'unavailable', reason: 'the key is in the OS keychain' },
    });
    expect(cut.seal).toMatchObject({ state: 'unverifiable' });
    expect(cut.seal!.reason).toBe(
      'the key is in the OS keychain; the seal, unchecked, says the log reached seq 3, and it ends at seq 1',
    );
  });

  it('a log that was never sealed says so', async () => {
    await writeAndClose(2, { seal: undefined });
    const status = await verifyAuditDir(dir, { sealKey: { state: 'none', reason: 'no seal key' } });
    expect(status).toMatchObject({ ok: false, records: 2, seal: { state: 'unsealed' } });
    expect(status.seal!.reason).toMatch(/^the head is not sealed/);
  });

  it('records written after the seal (a writer that stopped mid-batch) are counted, not hidden', async () => {
    const events = await writeAndClose(3);
    const extra = serializeRecord(4, { ...event(4), timestamp: new Date(T0).toISOString() }, events[2]!.hash);
    await writeFile(current(), `${(await lines()).join('\n')}\n${extra.line}`);
    expect(await verifyAuditDir(dir, { sealKey: found() })).toMatchObject({
      ok: true,
      records: 4,
      seal: { state: 'sealed', seq: 3, after: 1 },
    });
  });
});

describe('the sealed head: the writer', () => {
  it('seals each batch as it lands, so a reader beside it sees them agree', async () => {
    const l = await openLog();
    for (let round = 0; round < 20; round += 1) {
      await Promise.all([1, 2, 3].map((i) => l.append(event(i))));
      const status = await verifyAuditDir(dir, { sealKey: found() });
      expect(status).toMatchObject({ ok: true, seal: { state: 'sealed', after: 0 } });
      expect(status.seal!.seq).toBe(status.records);
    }
  });

  it('refuses to add to a log cut short, and says how to start a new one', async () => {
    await writeAndClose(5);
    await writeLines((await lines()).slice(0, 3));
    await expect(openLog()).rejects.toMatchObject({
      code: 'AUDIT_CHAIN_BROKEN',
      message: expect.stringContaining(
        'records 4 to 5 are missing from the end: the log was sealed at seq 5, and ends at seq 3',
      ),
    });
    await expect(openLog()).rejects.toThrow(/move the folder away/);
    // Moving it away keeps the evidence and starts a new, sealed log.
    await rename(dir, `${dir}.broken`);
    const fresh = await openLog();
    expect((await fresh.append(event(1))).seq).toBe(1);
    expect(await verifyAuditDir(`${dir}.broken`, { sealKey: found() })).toMatchObject({
      seal: { state: 'truncated' },
    });
  });

  it('refuses a re-chained log, a forged seal, a deleted seal, and a seal whose key is gone', async () => {
    await writeAndClose(3);
    const original = await lines();
    await writeLines(rechain(original, 0, (e) => ({ ...e, user_id: 'x' })));
    await expect(openLog()).rejects.toMatchObject({ code: 'AUDIT_CHAIN_BROKEN' });
    await writeLines(original);

    const seal = await readFile(join(dir, 'audit.seal'));
    await writeFile(
      join(dir, 'audit.seal'),
      seal.toString().replace(/"mac":"(.)/, (_, c: string) => `"mac":"${c === '0' ? '1' : '0'}`),
    );
    await expect(openLog()).rejects.toThrow(/the seal does not check out/);
    await rm(join(dir, 'audit.seal'));
    await expect(openLog()).rejects.toThrow(/the seal is missing/);
    await writeFile(join(dir, 'audit.seal'), seal);

    await expect(openLog({ seal: memoryKeys() })).rejects.toThrow(
      /has a seal, but the secret store holds no seal key/,
    );
    // The untouched log still opens and continues.
    expect((await (await openLog()).append(event(4))).seq).toBe(4);
  });

  it('continues after a stop between writing records and sealing them', async () => {
    const events = await writeAndClose(3);
    const extra = serializeRecord(4, { ...event(4), timestamp: new Date(T0).toISOString() }, events[2]!.hash);
    await writeFile(current(), `${(await lines()).join('\n')}\n${extra.line}`);
    const l = await openLog();
    expect((await l.append(event(5))).seq).toBe(5);
    expect(await verifyAuditDir(dir, { sealKey: found() })).toMatchObject({
      ok: true,
      seal: { state: 'sealed', seq: 5, after: 0 },
    });
  });

  it('seals a log written before sealing existed, from its current head', async () => {
    const events = await writeAndClose(3, { seal: undefined });
    expect(keys.key()).toBeUndefined();
    await (await openLog()).close();
    expect(keys.key()).toBeDefined();
    expect(await verifyAuditDir(dir, { sealKey: found() })).toMatchObject({
      ok: true,
      seal: { state: 'sealed', seq: 3, hash: events[2]!.hash },
    });
  });

  it('a new log is sealed at seq 0 before its first record', async () => {
    await (await openLog()).close();
    log = undefined;
    expect(await verifyAuditDir(dir, { sealKey: found() })).toMatchObject({
      ok: true,
      records: 0,
      seal: { state: 'sealed', seq: 0 },
    });
  });
});

describe('a seal that trails the log', () => {
  // Seal writes are the positioned ones (records are appended at the end, position null).
  function countingIo(failing = { seals: false }) {
    const seals: number[] = [];
    return {
      seals,
      io: {
        write: (fd: number, data: Buffer, offset: number, length: number, position: number | null) => {
          if (position !== null) {
            if (failing.seals) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
            seals.push(position);
          }
          return writeSync(fd, data, offset, length, position);
        },
      },
    };
  }

  it('writes one seal for many appends within its delay, and is current after sealNow or close', async () => {
    const { seals, io } = countingIo();
    const l = await openLog({ io, sealDelayMs: 60_000 });
    for (let i = 0; i < 50; i += 1) await l.append(event(i));
    expect(seals).toEqual([]);
    // Written but not yet sealed: reported, not taken for tampering.
    expect(await verifyAuditDir(dir, { sealKey: { state: 'found', key: keys.key()! } })).toMatchObject({
      ok: true,
      records: 50,
      seal: { state: 'sealed', seq: 0 },
    });
    l.sealNow();
    expect(seals).toEqual([0]);
    expect(await verifyAuditDir(dir, { sealKey: { state: 'found', key: keys.key()! } })).toMatchObject({
      ok: true,
      seal: { state: 'sealed', seq: 50 },
    });
    await l.append(event(50));
    await l.close();
    log = undefined;
    expect(seals).toEqual([0, 0]);
    expect(await verifyAuditDir(dir, { sealKey: { state: 'found', key: keys.key()! } })).toMatchObject({
      ok: true,
      seal: { state: 'sealed', seq: 51 },
    });
  });

  it('refuses appends while the seal cannot be written, and takes them again once it can', async () => {
    const failing = { seals: true };
    const { io, seals } = countingIo(failing);
    const l = await openLog({ io, sealDelayMs: 1 });
    await l.append(event(1));
    await vi.waitFor(() => expect(l.append(event(2))).rejects.toMatchObject({ code: 'AUDIT_FAILED' }));
    await expect(l.append(event(3))).rejects.toThrow(/audit\.seal failed: EIO/);
    failing.seals = false;
    const taken = await l.append(event(4));
    expect(seals.length).toBeGreaterThan(0);
    l.sealNow();
    expect(await verifyAuditDir(dir, { sealKey: { state: 'found', key: keys.key()! } })).toMatchObject({
      ok: true,
      records: taken.seq,
      seal: { state: 'sealed', seq: taken.seq },
    });
  });
});
