import { randomBytes } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { AuditFailedError } from '../audit-errors';

// One writer per folder: two processes appending to one chain would both link to the same head
// and break it. The lock names its holder; a holder that is gone (killed, machine rebooted) is
// taken over, so a crash never locks the log for good.
export const LOCK_FILE = 'audit.lock';
const lockSchema = z.object({ pid: z.number().int().positive(), boot: z.number() });
// Locks this process holds. A lock naming our own pid that is not in here was left by an earlier
// process that had the same pid: usual in a container, where the app is pid 1 every time.
const held = new Set<string>();

function bootTime(): number {
  return Math.round(Date.now() / 1000 - uptime());
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function holder(file: string): Promise<z.infer<typeof lockSchema> | undefined> {
  try {
    const parsed = lockSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function acquireWriterLock(dir: string): Promise<() => Promise<void>> {
  const file = join(dir, LOCK_FILE);
  // Written whole under a private name, then linked into place: the lock appears with its
  // content or not at all, and link (unlike rename) refuses to replace someone else's.
  const temp = join(dir, `.${LOCK_FILE}.${randomBytes(6).toString('hex')}`);
  await writeFile(temp, JSON.stringify({ pid: process.pid, boot: bootTime() }), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        await link(temp, file);
        held.add(file);
        return async () => {
          held.delete(file);
          await rm(file, { force: true });
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = await holder(file);
      // Pids are reused after a reboot: a lock from an earlier boot is stale whatever its pid.
      if (current?.pid === process.pid && held.has(file))
        throw new AuditFailedError(`${dir} is already open for writing in this process`);
      if (
        current &&
        current.pid !== process.pid &&
        Math.abs(current.boot - bootTime()) < 120 &&
        isRunning(current.pid)
      ) {
        throw new AuditFailedError(
          `another MCP Dock (process ${current.pid}) is writing to ${dir}. If none is running, delete ${file}.`,
        );
      }
      await rm(file, { force: true });
    }
    throw new AuditFailedError(`could not take the writer lock ${file}`);
  } finally {
    await rm(temp, { force: true });
  }
}
