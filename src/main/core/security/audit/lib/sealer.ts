import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditSealError } from '../audit-errors';
import type { AuditSealKeys } from '../seal-keys';
import { syncDirectory } from '../../../store/atomic-write';
import { type AuditFileName } from './audit-files';
import { compareSeal } from './compare-seal';
import { checkFrame } from './record-format';
import { readSealFile } from './seal-file';
import { encodeSeal, SEAL_BYTES, SEAL_FILE, sealChecksOut } from './seal-format';
import { scanLines } from './scan-lines';

export type WriteAt = (fd: number, data: Buffer, offset: number, length: number, position: number) => number;

// The hash of record `seq`, searched from the newest file back. Only needed when the seal is
// behind the head (a writer stopped between writing a batch and sealing it), so at most a batch
// back, in the newest file or the one before.
async function hashOf(dir: string, files: AuditFileName[], seq: number): Promise<string | undefined> {
  for (const file of [...files].reverse()) {
    const handle = await open(join(dir, file.name), 'r');
    try {
      let first: number | undefined;
      let hash: string | undefined;
      await scanLines(handle, (buf, start, end) => {
        const frame = checkFrame(buf, start, end);
        if (!frame.ok) return true;
        first ??= frame.seq;
        if (frame.seq !== seq) return true;
        hash = frame.hash;
        return false;
      });
      if (hash !== undefined || (first !== undefined && first <= seq)) return hash;
    } finally {
      await handle.close();
    }
  }
  return undefined;
}

async function replaceSeal(dir: string, bytes: Buffer): Promise<void> {
  const temp = join(dir, `.${SEAL_FILE}.${randomBytes(6).toString('hex')}`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, join(dir, SEAL_FILE));
  } finally {
    await rm(temp, { force: true });
  }
  await syncDirectory(dir);
}

// The writer's side of the seal. Opening checks the log against its seal and refuses one that
// does not end where it was sealed; then every batch is sealed right after it is written, with
// one positioned write over the same bytes (no fsync, as for the records: see audit-log.ts).
export class Sealer {
  readonly #key: Buffer;
  readonly #handle: FileHandle;
  readonly #write: WriteAt;
  #closing: Promise<void> | undefined;
  // The head still to be sealed, and the timer that will seal it (see sealWithin).
  #due: { seq: number; hash: string } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #onError: ((error: unknown) => void) | undefined;

  private constructor(key: Buffer, handle: FileHandle, write: WriteAt) {
    this.#key = key;
    this.#handle = handle;
    this.#write = write;
  }

  static async open(
    dir: string,
    keys: AuditSealKeys,
    files: AuditFileName[],
    head: { seq: number; hash: string },
    write: WriteAt,
  ): Promise<Sealer> {
    const found = await readSealFile(dir);
    let key = await keys.load();
    if (!key) {
      // A log from before sealing existed, or a new one: sealed from its head on. A seal without
      // its key, though, means the key was lost or the secret store replaced.
      if (found.state === 'present')
        throw new AuditSealError(
          dir,
          `the folder has a seal, but the secret store holds no seal key to check it with (was the secret store replaced, or this folder copied from another data directory?)`,
        );
      key = await keys.create();
    } else if (found.state === 'absent') {
      // An empty folder with no seal is a new log (the old one moved away): nothing to lose.
      if (head.seq > 0)
        throw new AuditSealError(
          dir,
          `the seal is missing: this data directory has a seal key, so ${SEAL_FILE} should be beside the log`,
        );
    } else {
      const decoded = found.decoded;
      if (!decoded.ok) throw new AuditSealError(dir, decoded.reason);
      if (!sealChecksOut(key, decoded))
        throw new AuditSealError(
          dir,
          "the seal does not check out with this data directory's key: it was edited, forged or comes from another log",
        );
      const sealed = decoded.seal;
      const comparison = compareSeal(sealed, {
        lastSeq: head.seq,
        hashAtSeal:
          sealed.seq === head.seq
            ? head.hash
            : sealed.seq > 0 && sealed.seq < head.seq
              ? await hashOf(dir, files, sealed.seq)
              : undefined,
        complete: true,
      });
      if (comparison.state !== 'sealed') throw new AuditSealError(dir, comparison.reason);
    }
    await replaceSeal(dir, encodeSeal(key, head));
    const handle = await open(join(dir, SEAL_FILE), 'r+');
    return new Sealer(key, handle, write);
  }

  // Synchronous, like the record write before it, so a batch and its seal leave together.
  seal(seq: number, hash: string): void {
    const bytes = encodeSeal(this.#key, { seq, hash });
    let done = 0;
    while (done < SEAL_BYTES) done += this.#write(this.#handle.fd, bytes, done, SEAL_BYTES - done, done);
  }

  // Seals the newest head at most `delayMs` from now: the batches written meanwhile share one seal
  // write instead of paying one each (a second write per record cost a run of one-at-a-time
  // appends three quarters of its speed). Records younger than the delay are not yet sealed:
  // `verify` reports them as written after the seal, not as tampering. 0 seals at once.
  sealWithin(delayMs: number, seq: number, hash: string, onError: (error: unknown) => void): void {
    this.#due = { seq, hash };
    this.#onError = onError;
    if (delayMs <= 0) return this.#flush();
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, delayMs);
  }

  flushNow(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flush();
  }

  #flush(): void {
    const due = this.#due;
    if (!due) return;
    this.#due = undefined;
    try {
      this.seal(due.seq, due.hash);
    } catch (error) {
      // Still due: the next flush tries again (a full disk may have room by then).
      this.#due ??= due;
      this.#onError?.(error);
    }
  }

  // Whether a seal is still to be written (after a failed write, until one succeeds).
  get behind(): boolean {
    return this.#due !== undefined;
  }

  // Puts the seal (of the newest head) on disk and lets go of it; again is a no-op.
  close(): Promise<void> {
    this.flushNow();
    this.#closing ??= (async () => {
      try {
        await this.#handle.sync();
      } finally {
        await this.#handle.close();
      }
    })();
    return this.#closing;
  }
}
