import { ftruncateSync, writeSync } from 'node:fs';
import { chmod, mkdir, open, rename, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  auditEventInputSchema,
  type AuditEvent,
  type AuditEventInput,
  type AuditExportFormat,
  type AuditQuery,
} from '../../../../shared/audit';
import { DockError, formatZodError } from '../../../../shared/errors';
import { AuditFailedError, AuditInputError } from './audit-errors';
import { exportAuditDir } from './export-audit-dir';
import { syncDirectory } from '../../store/atomic-write';
import { CURRENT_FILE, listAuditFiles, rotatedName } from './lib/audit-files';
import { serializeRecord, type AuditFields } from './lib/record-format';
import { recoverTail, type RecoveredTail } from './lib/recover-tail';
import { Sealer } from './lib/sealer';
import { SEAL_FILE } from './lib/seal-format';
import { acquireWriterLock } from './lib/writer-lock';
import { queryAuditDir } from './query-audit-dir';
import type { AuditSealKeys } from './seal-keys';

export const DEFAULT_AUDIT_MAX_FILE_BYTES = 10 * 1024 * 1024;

// The synchronous writes on the append path: records, then the seal over them. Node's writeSync
// unless a test swaps it to fail as a full disk does.
export interface AuditIo {
  write(fd: number, data: Buffer, offset: number, length: number, position: number | null): number;
}

const nodeIo: AuditIo = {
  write: (fd, data, offset, length, position) => writeSync(fd, data, offset, length, position),
};

export interface AuditLogOptions {
  // Rotate once the current file would grow past this; a record is never split across files.
  maxFileBytes?: number;
  clock?: () => Date;
  // Where the seal's key is kept (the data directory's secret store). Without it the log is not
  // sealed, and `verify` says so.
  seal?: AuditSealKeys | undefined;
  // How long the seal may trail the newest record (see Sealer.sealWithin); 0, the default, seals
  // every batch as it is written. The app uses APP_SEAL_DELAY_MS.
  sealDelayMs?: number;
  io?: AuditIo;
}

// The app's seal trails its log by at most this: one seal write per 20 ms of appends, however
// many, and a truncation is caught for every record older than that.
export const APP_SEAL_DELAY_MS = 20;

export type AuditListener = (event: AuditEvent) => void;

interface Pending {
  fields: AuditFields;
  resolve: (event: AuditEvent) => void;
  reject: (error: unknown) => void;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function openForAppend(file: string): Promise<FileHandle> {
  const handle = await open(file, 'a', 0o600);
  // open() applies the umask and keeps an existing file's mode; the log must be owner-only.
  if (process.platform !== 'win32') await handle.chmod(0o600);
  return handle;
}

async function prepareDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await stat(dir);
  if (!info.isDirectory()) throw new AuditFailedError(`${dir} is not a folder`);
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) await chmod(dir, 0o700);
}

// The tamper-evident audit log: JSON lines under one folder, each record holding the hash of the
// one before (see lib/record-format.ts), rotated by size with the chain running on across files.
//
// Durability: an append's promise resolves once its line has gone to the OS in a write(2) on an
// O_APPEND descriptor. That survives the process being killed (kill -9, a crash) but not the
// machine losing power: there is no fsync per event, which would cap the log at a few hundred
// events a second. Files are fsynced when they are rotated and when the log is closed.
//
// Appends made in the same tick are written together in one write; the write is synchronous
// because a few kilobytes into the page cache take microseconds, less than a round trip through
// libuv's thread pool (pino's destination does the same for the same reason).
//
// Sealed (with `seal`): after each write the seal (lib/sealer.ts) is overwritten with the new
// head, under the same durability, so the records a caller was told about are always covered.
export class AuditLog {
  readonly dir: string;
  // Set when opening found a record cut off mid-write and moved it to a sidecar, so the app can
  // tell the user; the chain continues from the last whole record.
  readonly recovered: RecoveredTail | undefined;
  readonly #maxFileBytes: number;
  readonly #clock: () => Date;
  readonly #release: () => Promise<void>;
  readonly #listeners = new Set<AuditListener>();
  readonly #io: AuditIo;
  readonly #sealer: Sealer | undefined;
  readonly #sealDelayMs: number;
  // Why the newest seal could not be written; cleared once one is.
  #sealError: AuditFailedError | undefined;
  #handle: FileHandle;
  #size: number;
  #seq: number;
  #head: string;
  #nextIndex: number;
  #pending: Pending[] = [];
  #draining: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  // Set when the file may hold a partial record we could not remove; only reopening recovers.
  #failure: AuditFailedError | undefined;

  private constructor(init: {
    dir: string;
    recovered: RecoveredTail | undefined;
    maxFileBytes: number;
    clock: () => Date;
    release: () => Promise<void>;
    io: AuditIo;
    sealer: Sealer | undefined;
    sealDelayMs: number;
    handle: FileHandle;
    size: number;
    seq: number;
    head: string;
    nextIndex: number;
  }) {
    this.dir = init.dir;
    this.#io = init.io;
    this.#sealer = init.sealer;
    this.#sealDelayMs = init.sealDelayMs;
    this.recovered = init.recovered;
    this.#maxFileBytes = init.maxFileBytes;
    this.#clock = init.clock;
    this.#release = init.release;
    this.#handle = init.handle;
    this.#size = init.size;
    this.#seq = init.seq;
    this.#head = init.head;
    this.#nextIndex = init.nextIndex;
  }

  static async open(dir: string, options: AuditLogOptions = {}): Promise<AuditLog> {
    const maxFileBytes = options.maxFileBytes ?? DEFAULT_AUDIT_MAX_FILE_BYTES;
    if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes < 1)
      throw new AuditInputError(`maxFileBytes must be a positive whole number, not ${maxFileBytes}`);
    const clock = options.clock ?? (() => new Date());
    const io = options.io ?? nodeIo;
    let release: (() => Promise<void>) | undefined;
    let sealer: Sealer | undefined;
    try {
      await prepareDir(dir);
      release = await acquireWriterLock(dir);
      const files = await listAuditFiles(dir);
      const head = await recoverTail(dir, files, clock);
      sealer = options.seal
        ? await Sealer.open(dir, options.seal, files, head, (fd, data, offset, length, position) =>
            io.write(fd, data, offset, length, position),
          )
        : undefined;
      const handle = await openForAppend(join(dir, CURRENT_FILE));
      const { size } = await handle.stat();
      const rotated = files.filter((f) => Number.isFinite(f.index));
      return new AuditLog({
        dir,
        recovered: head.recovered,
        maxFileBytes,
        clock,
        release,
        io,
        sealer,
        sealDelayMs: options.sealDelayMs ?? 0,
        handle,
        size,
        seq: head.seq,
        head: head.hash,
        nextIndex: (rotated.at(-1)?.index ?? 0) + 1,
      });
    } catch (error) {
      await sealer?.close().catch(() => undefined);
      await release?.();
      if (error instanceof DockError) throw error;
      throw new AuditFailedError(`cannot open ${dir}: ${message(error)}`, { cause: error });
    }
  }

  // The newest record's seq and hash (0 and the genesis hash while empty); the seal holds the same.
  get head(): { seq: number; hash: string } {
    return { seq: this.#seq, hash: this.#head };
  }

  append(input: AuditEventInput): Promise<AuditEvent> {
    if (this.#closing) return Promise.reject(new AuditFailedError('it has been closed'));
    if (this.#failure) return Promise.reject(this.#failure);
    const parsed = auditEventInputSchema.safeParse(input);
    if (!parsed.success)
      return Promise.reject(new AuditInputError(`invalid audit event: ${formatZodError(parsed.error)}`));
    const { timestamp, ...rest } = parsed.data;
    const fields: AuditFields = { timestamp: timestamp ?? this.#clock().toISOString(), ...rest };
    return new Promise<AuditEvent>((resolve, reject) => {
      this.#pending.push({ fields, resolve, reject });
      // Deferred to a microtask, so the other appends of this tick join the same write.
      this.#draining ??= Promise.resolve().then(() => this.#drain());
    });
  }

  // Seals the newest record now instead of within the seal delay (before a verify in this process).
  sealNow(): void {
    this.#sealer?.flushNow();
  }

  // Listeners see each event once it is written, in seq order.
  subscribe(listener: AuditListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  query(query: AuditQuery): Promise<AuditEvent[]> {
    return queryAuditDir(this.dir, query);
  }

  export(query: AuditQuery, format: AuditExportFormat): Promise<string> {
    return exportAuditDir(this.dir, query, format);
  }

  // Appends made before close still land; later ones are refused.
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#draining;
      this.#listeners.clear();
      try {
        await this.#handle.sync();
        await this.#sealer?.close();
      } finally {
        // Closed either way (closing twice is a no-op), so the lock is always released.
        await this.#sealer?.close().catch(() => undefined);
        await this.#handle.close();
        await this.#release();
      }
    })();
    return this.#closing;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending;
        this.#pending = [];
        await this.#writeBatch(batch);
      }
    } finally {
      this.#draining = undefined;
    }
  }

  async #writeBatch(batch: Pending[]): Promise<void> {
    // Chained from the last record on disk; committed below only once written.
    let seq = this.#seq;
    let prev = this.#head;
    const records = batch.map((p) => {
      const record = serializeRecord((seq += 1), p.fields, prev);
      prev = record.event.hash;
      return { ...record, bytes: Buffer.byteLength(record.line) };
    });
    const failFrom = (at: number, error: unknown) => {
      for (const p of batch.slice(at)) p.reject(error);
    };
    let at = 0;
    while (at < records.length) {
      if (this.#failure) return failFrom(at, this.#failure);
      if (this.#sealError) {
        // The last seal failed: it must be written before anything more is added.
        this.#sealer?.flushNow();
        if (this.#sealer?.behind) return failFrom(at, this.#sealError);
        this.#sealError = undefined;
      }
      if (this.#size > 0 && this.#size + records[at]!.bytes > this.#maxFileBytes) {
        try {
          await this.#rotate();
        } catch (error) {
          return failFrom(at, error);
        }
      }
      let end = at;
      let bytes = 0;
      while (
        end < records.length &&
        (this.#size + bytes === 0 || this.#size + bytes + records[end]!.bytes <= this.#maxFileBytes)
      ) {
        bytes += records[end]!.bytes;
        end += 1;
      }
      try {
        this.#write(
          Buffer.from(
            records
              .slice(at, end)
              .map((r) => r.line)
              .join(''),
          ),
        );
      } catch (error) {
        // Later records chain onto these, so none of the rest of the batch can be written either.
        return failFrom(at, error);
      }
      this.#size += bytes;
      this.#seq = records[end - 1]!.event.seq;
      this.#head = records[end - 1]!.event.hash;
      // A seal that cannot be written refuses the records after it until one can (below): no call
      // runs on records the seal may never cover.
      this.#sealer?.sealWithin(this.#sealDelayMs, this.#seq, this.#head, (error) => {
        // Said as the record write says it: for the caller both mean the log cannot take more.
        this.#sealError = new AuditFailedError(
          `writing ${join(this.dir, SEAL_FILE)} failed: ${message(error)}`,
          {
            cause: error,
          },
        );
      });
      const unsealed = this.#sealDelayMs <= 0 && this.#sealer?.behind ? this.#sealError : undefined;
      for (let i = at; i < end; i += 1) {
        const event = records[i]!.event;
        if (unsealed) batch[i]!.reject(unsealed);
        else batch[i]!.resolve(event);
        for (const listener of this.#listeners) {
          try {
            listener(event);
          } catch {
            // A failing listener is its own problem; the event is logged either way.
          }
        }
      }
      if (unsealed) return failFrom(end, unsealed);
      at = end;
    }
  }

  #write(data: Buffer): void {
    const fd = this.#handle.fd;
    let done = 0;
    try {
      // position null: at the end, as O_APPEND does anyway.
      while (done < data.length) done += this.#io.write(fd, data, done, data.length - done, null);
    } catch (error) {
      if (done > 0) {
        // Part of the batch landed: cut it off again so the file ends on a whole record.
        try {
          ftruncateSync(fd, this.#size);
        } catch (cause) {
          this.#failure = new AuditFailedError(
            `a write to ${CURRENT_FILE} failed halfway and could not be undone (${message(cause)}); reopen the log`,
            { cause },
          );
        }
      }
      throw new AuditFailedError(`writing ${join(this.dir, CURRENT_FILE)} failed: ${message(error)}`, {
        cause: error,
      });
    }
  }

  async #rotate(): Promise<void> {
    const current = join(this.dir, CURRENT_FILE);
    let failed: unknown;
    try {
      // Appends are not fsynced one by one; a file that is done is put on disk once, here.
      await this.#handle.sync();
      await this.#handle.close();
      await rename(current, join(this.dir, rotatedName(this.#nextIndex)));
      this.#nextIndex += 1;
    } catch (error) {
      failed = error;
      await this.#handle.close().catch(() => undefined);
    }
    // Whatever happened above, there must be a file to append to again.
    try {
      this.#handle = await openForAppend(current);
      this.#size = (await this.#handle.stat()).size;
    } catch (error) {
      this.#failure = new AuditFailedError(`cannot reopen ${current}: ${message(error)}`, { cause: error });
      throw this.#failure;
    }
    // The rename stands either way; only whether it survives a power cut is at stake, as for appends.
    if (failed === undefined) await syncDirectory(this.dir).catch(() => undefined);
    if (failed !== undefined)
      throw new AuditFailedError(`rotating ${current} failed: ${message(failed)}`, { cause: failed });
  }
}
