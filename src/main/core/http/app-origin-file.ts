import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic-write';

// Where the app that owns this data directory answers right now. The port may come from
// --port, MCP_DOCK_PORT or settings.json (or be 0 in tests), so a CLI command run beside the app
// cannot work it out by itself: the app says it here while it runs and takes it back on close.
export const APP_ORIGIN_FILE = 'app-origin.json';

const appOriginSchema = z.object({
  origin: z.url({ protocol: /^https?$/ }),
  pid: z.number().int().positive(),
  // This run's secret for /control routes (held calls): whoever reads this 0600 file may answer.
  control: z.string().min(32).optional(),
});
export type AppOrigin = z.infer<typeof appOriginSchema>;

// Best effort: without the file, CLI commands fall back to settings.json's port, as before.
export async function writeAppOrigin(dataDir: string, origin: string, control?: string): Promise<void> {
  const record: AppOrigin = { origin, pid: process.pid, ...(control ? { control } : {}) };
  await writeFileAtomic(join(dataDir, APP_ORIGIN_FILE), `${JSON.stringify(record)}\n`).catch(() => undefined);
}

// Only our own record goes: a second app started on the same directory may have written its own.
export async function clearAppOrigin(dataDir: string, origin: string): Promise<void> {
  const current = await readRecord(dataDir);
  if (current?.origin === origin && current.pid === process.pid)
    await rm(join(dataDir, APP_ORIGIN_FILE), { force: true });
}

// The record of a process that is still alive, or undefined. A crash leaves the file behind;
// a dead pid tells it apart without a network round trip.
export async function readAppOrigin(dataDir: string): Promise<AppOrigin | undefined> {
  const record = await readRecord(dataDir);
  return record && isAlive(record.pid) ? record : undefined;
}

async function readRecord(dataDir: string): Promise<AppOrigin | undefined> {
  try {
    const parsed = appOriginSchema.safeParse(
      JSON.parse(await readFile(join(dataDir, APP_ORIGIN_FILE), 'utf8')),
    );
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
