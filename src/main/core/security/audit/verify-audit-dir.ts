import { setTimeout as delay } from 'node:timers/promises';
import { AUDIT_GENESIS_HASH, type AuditChainStatus, type AuditSealStatus } from '../../../../shared/audit';
import { CURRENT_FILE, openSnapshot, type AuditFileName } from './lib/audit-files';
import { compareSeal } from './lib/compare-seal';
import { checkFrame } from './lib/record-format';
import { readSealFile, type SealFile } from './lib/seal-file';
import { SEAL_FILE, sealChecksOut } from './lib/seal-format';
import { scanLines, type LineVisitor } from './lib/scan-lines';
import type { SealKeyLookup } from './seal-keys';

type Problem = NonNullable<AuditChainStatus['firstProblem']>;

// A running app appends each batch in one write, but a reader can still catch one half-landed.
// Wait this long once before calling the last line torn.
const IN_FLIGHT_GRACE_MS = 50;

export interface VerifyAuditOptions {
  // The data directory's seal key (or why there is none): without one the head is unverifiable.
  sealKey?: SealKeyLookup;
}

const NO_KEY: SealKeyLookup = {
  state: 'unavailable',
  reason: 'no seal key was given to check the seal with (pass the data directory, not only its audit folder)',
};

function missingFileHint(files: AuditFileName[], at: number): string {
  const file = files[at]!;
  const before = files[at - 1];
  if (at === 0 && Number.isFinite(file.index) && file.index > 1) return '; older files are missing';
  if (before && Number.isFinite(file.index) && file.index !== before.index + 1) return '; a file is missing';
  return '';
}

// The seal as the writer left it. Read before the log, so a writer running beside us can only
// have added records since (never a seal ahead of the records we read). A seal caught in the
// middle of its overwrite is read again after a moment.
async function readSeal(dir: string, lookup: SealKeyLookup): Promise<SealFile> {
  let found = await readSealFile(dir);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (found.state === 'absent') return found;
    const { decoded } = found;
    const intact = decoded.ok && (lookup.state !== 'found' || sealChecksOut(lookup.key, decoded));
    if (intact) return found;
    await delay(IN_FLIGHT_GRACE_MS);
    found = await readSealFile(dir);
  }
  return found;
}

interface Walk {
  records: number;
  lastSeq: number;
  complete: boolean;
  // The record at the seal's seq, where the walk passed it.
  atSeal: { hash: string; file: string; line: number } | undefined;
  // Where a record after the last one would go.
  end: { file: string; line: number };
}

function judgeSeal(
  found: SealFile,
  lookup: SealKeyLookup,
  walk: Walk,
): { seal: AuditSealStatus; problem?: Problem } {
  const end = { lastSeq: walk.lastSeq, hashAtSeal: walk.atSeal?.hash, complete: walk.complete };
  if (lookup.state !== 'found') {
    if (found.state === 'absent')
      return {
        seal: {
          state: 'unsealed',
          reason: `the head is not sealed: there is no ${SEAL_FILE} in the folder${lookup.state === 'none' ? ' and no seal key in the secret store (a log written before MCP Dock sealed its logs, or not by MCP Dock)' : ` (${lookup.reason})`}`,
        },
      };
    const decoded = found.decoded;
    if (!decoded.ok)
      return { seal: { state: 'unverifiable', reason: `${lookup.reason}; ${decoded.reason}` } };
    // Unchecked, the seal still tells something worth saying when it disagrees with the log.
    const unchecked = compareSeal(decoded.seal, end);
    const hint =
      unchecked.state === 'truncated'
        ? `; the seal, unchecked, says the log reached seq ${decoded.seal.seq}, and it ends at seq ${walk.lastSeq}`
        : unchecked.state === 'rechained'
          ? `; the seal, unchecked, names another record at seq ${decoded.seal.seq}`
          : '';
    return {
      seal: {
        state: 'unverifiable',
        seq: decoded.seal.seq,
        hash: decoded.seal.hash,
        reason: `${lookup.reason}${hint}`,
      },
    };
  }
  const sealProblem = (reason: string): Problem => ({ file: SEAL_FILE, line: 1, reason });
  if (found.state === 'absent') {
    if (walk.records === 0)
      return { seal: { state: 'unsealed', reason: 'the log is empty and not sealed yet' } };
    const reason = `the seal is missing: this data directory has a seal key, so ${SEAL_FILE} should be beside the log`;
    return { seal: { state: 'missing', reason }, problem: sealProblem(reason) };
  }
  const decoded = found.decoded;
  if (!decoded.ok)
    return { seal: { state: 'invalid', reason: decoded.reason }, problem: sealProblem(decoded.reason) };
  const named = { seq: decoded.seal.seq, hash: decoded.seal.hash };
  if (!sealChecksOut(lookup.key, decoded)) {
    const reason =
      "the seal does not check out with this data directory's key: it was edited, forged or comes from another log";
    return { seal: { state: 'invalid', ...named, reason }, problem: sealProblem(reason) };
  }
  const comparison = compareSeal(decoded.seal, end);
  switch (comparison.state) {
    case 'sealed':
      return {
        seal: {
          state: 'sealed',
          ...named,
          after: comparison.after,
          reason:
            comparison.after === 0
              ? `the log ends at the sealed record, seq ${named.seq}`
              : `the log ends ${comparison.after} record(s) after the sealed one (seq ${named.seq}), written since`,
        },
      };
    case 'truncated':
      return {
        seal: { state: 'truncated', ...named, reason: comparison.reason },
        problem: { ...walk.end, seq: walk.lastSeq + 1, reason: comparison.reason },
      };
    case 'rechained':
      return {
        seal: { state: 'rechained', ...named, reason: comparison.reason },
        problem: walk.atSeal
          ? { file: walk.atSeal.file, line: walk.atSeal.line, seq: named.seq, reason: comparison.reason }
          : sealProblem(comparison.reason),
      };
    case 'unchecked':
      return { seal: { state: 'unchecked', ...named, reason: comparison.reason } };
  }
}

// Walks the whole chain, oldest file first: every line must be a record whose hash matches its
// bytes, whose seq is one more than the record before (across files), and whose prev_hash is that
// record's hash. Stops at the first problem and names it. Then the seal: the record it names must
// be in the log, unchanged, and nothing may be missing after it; that catches what the chain
// alone cannot (records cut off the end, a file deleted, an edit with every later hash
// recomputed). ok means both. Read-only: safe while the app writes.
export async function verifyAuditDir(
  dir: string,
  options: VerifyAuditOptions = {},
): Promise<AuditChainStatus> {
  const lookup = options.sealKey ?? NO_KEY;
  const found = await readSeal(dir, lookup);
  const sealSeq = found.state === 'present' && found.decoded.ok ? found.decoded.seal.seq : undefined;
  const snapshot = await openSnapshot(dir);
  const state = {
    expected: 1,
    prev: AUDIT_GENESIS_HASH,
    records: 0,
    problem: undefined as Problem | undefined,
    atSeal: undefined as Walk['atSeal'],
    end: { file: CURRENT_FILE, line: 1 },
  };
  try {
    for (const [at, file] of snapshot.files.entries()) {
      const visit: LineVisitor = (buf, start, end, line) => {
        const fail = (reason: string) => {
          state.problem = { file: file.name, line, seq: state.expected, reason };
          return false;
        };
        const frame = checkFrame(buf, start, end);
        if (!frame.ok) return fail(frame.reason);
        if (frame.seq > state.expected) {
          const hint = line === 1 ? missingFileHint(snapshot.files, at) : '';
          return fail(`record ${state.expected} is missing or out of place: seq ${frame.seq} is here${hint}`);
        }
        if (frame.seq < state.expected)
          return fail(
            `seq ${frame.seq} is here, after seq ${state.expected - 1}: a record is repeated or out of order`,
          );
        if (frame.prevHash !== state.prev)
          return fail("its prev_hash is not the previous record's hash: the chain is broken here");
        if (frame.seq === sealSeq) state.atSeal = { hash: frame.hash, file: file.name, line };
        state.prev = frame.hash;
        state.expected += 1;
        state.records += 1;
        return true;
      };
      let scan = await scanLines(file.handle, visit);
      const last = at === snapshot.files.length - 1;
      if (!state.problem && scan.tailBytes > 0 && last) {
        await delay(IN_FLIGHT_GRACE_MS);
        scan = await scanLines(file.handle, visit, { offset: scan.tailOffset, line: scan.lines });
      }
      if (!state.problem && scan.tailBytes > 0) {
        state.problem = {
          file: file.name,
          line: scan.lines + 1,
          seq: state.expected,
          reason: last
            ? 'the last line is incomplete: a write was cut off (opening the log moves it aside)'
            : 'the file ends in an incomplete line: a write was cut off',
        };
      }
      state.end = { file: file.name, line: scan.lines + 1 };
      if (state.problem) break;
    }
  } finally {
    await snapshot.close();
  }
  const judged = judgeSeal(found, lookup, {
    records: state.records,
    lastSeq: state.expected - 1,
    complete: state.problem === undefined,
    atSeal: state.atSeal,
    end: state.end,
  });
  const problem = state.problem ?? judged.problem;
  return {
    ok: problem === undefined && judged.seal.state === 'sealed',
    records: state.records,
    files: snapshot.files.length,
    head: state.prev,
    ...(problem ? { firstProblem: problem } : {}),
    seal: judged.seal,
  };
}
