import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { AUDIT_GENESIS_HASH } from '../../../../../shared/audit';
import { AuditRecordError } from '../audit-errors';
import type { AuditFileName } from './audit-files';
import { syncDirectory } from '../../../store/atomic-write';
import { checkFrame } from './record-format';
import { scanLines } from './scan-lines';

const NEWLINE = 0x0a;
const FIRST_WINDOW = 64 * 1024;

export interface RecoveredTail {
  // The sidecar that now holds the cut-off bytes.
  file: string;
  bytes: number;
}

export interface ChainHead {
  seq: number;
  hash: string;
  recovered?: RecoveredTail;
}

interface Tail {
  // Offset where the bytes after the last newline start (== size when there are none).
  tornAt: number;
  // The last complete line, if the file has one.
  line?: { buf: Buffer; start: number; end: number };
}

// Reads backwards from the end, growing the window until it holds the last complete line whole.
async function readTail(handle: FileHandle, size: number): Promise<Tail> {
  let window = Math.min(size, FIRST_WINDOW);
  for (;;) {
    const offset = size - window;
    const buf = Buffer.alloc(window);
    await handle.read(buf, 0, window, offset);
    const lastNewline = buf.lastIndexOf(NEWLINE);
    const before = lastNewline > 0 ? buf.lastIndexOf(NEWLINE, lastNewline - 1) : -1;
    if (offset > 0 && before === -1) {
      window = Math.min(size, window * 2);
      continue;
    }
    if (lastNewline === -1) return { tornAt: 0 };
    return { tornAt: offset + lastNewline + 1, line: { buf, start: before + 1, end: lastNewline } };
  }
}

async function setAside(dir: string, name: string, bytes: Buffer, clock: () => Date): Promise<string> {
  const stamp = clock().toISOString().replace(/[:.]/g, '-');
  for (let n = 1; ; n += 1) {
    const file = join(dir, `${name}.torn-${stamp}${n > 1 ? `-${n}` : ''}`);
    let handle: FileHandle;
    try {
      handle = await open(file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return file;
  }
}

// Finds the head of the chain in the newest non-empty file. A process killed mid-write leaves at
// most one cut-off line at the very end (a line is one write, and only the end of the file is ever
// written); that line is copied to a sidecar first and only then cut from the log, so no byte is
// ever lost, and a crash between the two steps just repeats them.
// Only the last record is checked here, not the whole chain: opening must stay fast however big
// the log is; `verifyAuditDir` checks everything.
export async function recoverTail(
  dir: string,
  files: AuditFileName[],
  clock: () => Date,
): Promise<ChainHead> {
  let recovered: RecoveredTail | undefined;
  for (const file of [...files].reverse()) {
    const path = join(dir, file.name);
    const handle = await open(path, 'r+');
    try {
      const { size } = await handle.stat();
      if (size === 0) continue;
      const tail = await readTail(handle, size);
      if (tail.tornAt < size) {
        const torn = Buffer.alloc(size - tail.tornAt);
        await handle.read(torn, 0, torn.length, tail.tornAt);
        const sidecar = await setAside(dir, file.name, torn, clock);
        await syncDirectory(dir);
        await handle.truncate(tail.tornAt);
        await handle.sync();
        recovered = { file: sidecar, bytes: torn.length };
      }
      if (!tail.line) continue;
      const { buf, start, end } = tail.line;
      const frame = checkFrame(buf, start, end);
      if (!frame.ok) {
        const { lines } = await scanLines(handle, () => true);
        throw new AuditRecordError(
          path,
          lines,
          `${frame.reason}; the chain cannot be continued from it. Move the audit folder away to start a new log`,
        );
      }
      return { seq: frame.seq, hash: frame.hash, ...(recovered ? { recovered } : {}) };
    } finally {
      await handle.close();
    }
  }
  return { seq: 0, hash: AUDIT_GENESIS_HASH, ...(recovered ? { recovered } : {}) };
}
