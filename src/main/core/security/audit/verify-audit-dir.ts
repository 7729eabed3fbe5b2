import { setTimeout as delay } from 'node:timers/promises';
import { AUDIT_GENESIS_HASH, type AuditChainStatus } from '../../../../shared/audit';
import { openSnapshot, type AuditFileName } from './lib/audit-files';
import { checkFrame } from './lib/record-format';
import { scanLines, type LineVisitor } from './lib/scan-lines';

type Problem = NonNullable<AuditChainStatus['firstProblem']>;

// A running app appends each batch in one write, but a reader can still catch one half-landed.
// Wait this long once before calling the last line torn.
const IN_FLIGHT_GRACE_MS = 50;

function missingFileHint(files: AuditFileName[], at: number): string {
  const file = files[at]!;
  const before = files[at - 1];
  if (at === 0 && Number.isFinite(file.index) && file.index > 1) return '; older files are missing';
  if (before && Number.isFinite(file.index) && file.index !== before.index + 1) return '; a file is missing';
  return '';
}

// Walks the whole chain, oldest file first: every line must be a record whose hash matches its
// bytes, whose seq is one more than the record before (across files), and whose prev_hash is that
// record's hash. Stops at the first problem and names it. Read-only: safe while the app writes.
// Limit: cutting whole records off the end leaves a shorter chain that still checks out; compare
// `head` with one you noted earlier to catch that.
export async function verifyAuditDir(dir: string): Promise<AuditChainStatus> {
  const snapshot = await openSnapshot(dir);
  const state = {
    expected: 1,
    prev: AUDIT_GENESIS_HASH,
    records: 0,
    problem: undefined as Problem | undefined,
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
      if (state.problem) break;
    }
  } finally {
    await snapshot.close();
  }
  return {
    ok: state.problem === undefined,
    records: state.records,
    files: snapshot.files.length,
    head: state.prev,
    ...(state.problem ? { firstProblem: state.problem } : {}),
  };
}
