import { open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditFailedError } from '../audit-errors';

// The log is `audit.jsonl` (being written) plus `audit-000001.jsonl`, `audit-000002.jsonl`, ...
// (rotated, oldest first). The number fixes the order, whatever the file times say; anything
// else in the folder (torn-line sidecars, the writer lock) is not part of the chain.
export const CURRENT_FILE = 'audit.jsonl';
const ROTATED = /^audit-(\d{6,})\.jsonl$/;

export interface AuditFileName {
  name: string;
  // Rotation number; the current file sorts last.
  index: number;
}

export function rotatedName(index: number): string {
  return `audit-${String(index).padStart(6, '0')}.jsonl`;
}

export async function listAuditFiles(dir: string): Promise<AuditFileName[]> {
  const names = await readdir(dir);
  const files: AuditFileName[] = [];
  for (const name of names) {
    if (name === CURRENT_FILE) files.push({ name, index: Number.POSITIVE_INFINITY });
    else {
      const match = ROTATED.exec(name);
      if (match) files.push({ name, index: Number(match[1]) });
    }
  }
  return files.sort((a, b) => a.index - b.index);
}

export interface AuditSnapshot {
  files: (AuditFileName & { handle: FileHandle })[];
  close(): Promise<void>;
}

function describeFsError(dir: string, error: unknown): AuditFailedError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? `there is no audit folder at ${dir}`
      : code === 'ENOTDIR'
        ? `${dir} is not a folder`
        : code === 'EACCES' || code === 'EPERM'
          ? `permission denied reading ${dir}`
          : `${dir}: ${(error as Error).message}`;
  return new AuditFailedError(reason, { cause: error });
}

// Opens every file of the log at once. An open handle follows its file through a rename, so a
// rotation by a running app while we read cannot make us skip or repeat records; listing the
// folder again afterwards catches a rotation that fell between the listing and the opens.
export async function openSnapshot(dir: string): Promise<AuditSnapshot> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    let names: AuditFileName[];
    try {
      names = await listAuditFiles(dir);
    } catch (error) {
      throw describeFsError(dir, error);
    }
    const opened = await Promise.allSettled(names.map((f) => open(join(dir, f.name), 'r')));
    const handles = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const closeAll = async () => {
      await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
    };
    const failed = opened.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed && (failed.reason as NodeJS.ErrnoException).code !== 'ENOENT') {
      await closeAll();
      throw describeFsError(dir, failed.reason);
    }
    const again = await listAuditFiles(dir).catch(() => []);
    if (!failed && again.length === names.length && again.every((f, i) => f.name === names[i]!.name)) {
      return {
        files: names.map((f, i) => ({ ...f, handle: handles[i]! })),
        close: closeAll,
      };
    }
    await closeAll();
  }
  throw new AuditFailedError(`the files in ${dir} kept changing while they were being read; try again`);
}
