import { copyFile, mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ClientConfigChange } from '../../../../shared/snippets';
import { ClientConfigBusyError, ClientConfigError } from '../../errors';
import { writeFileAtomic } from '../../store/atomic-write';

const STALE_LOCK_MS = 30_000;

// One writer at a time per config file, across MCP Dock processes (the app and the CLI). A lock
// older than any edit takes is left over from a crash and is taken over.
async function withLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const lock = `${file}.mcp-dock.lock`;
  // A client that never ran has no config folder yet (~/.cursor); the lock needs one.
  await mkdir(dirname(file), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lock, 'wx', 0o600);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age =
        Date.now() -
        (await stat(lock).then(
          (s) => s.mtimeMs,
          () => Date.now(),
        ));
      if (age > STALE_LOCK_MS) await rm(lock, { force: true });
      else if (attempt >= 20) throw new ClientConfigBusyError(file);
      else await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}

// The file's text, or undefined when the client has none yet.
export async function readConfig(file: string): Promise<{ text: string; mode: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return { text, mode: info.mode & 0o777 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ClientConfigError(file, (error as Error).message, { cause: error });
  }
}

// Runs `edit` on the file's text under the lock (`initial` stands in for a missing file). A
// changed text replaces the file atomically, keeping its mode, with the old one kept as
// <file>.mcp-dock-backup. `edit` throws ClientConfigError for a file it cannot understand, and
// then nothing is written.
export async function editConfigFile(
  file: string,
  initial: string,
  edit: (text: string) => string,
): Promise<ClientConfigChange> {
  return withLock(file, async () => {
    const current = await readConfig(file);
    const text = current?.text ?? initial;
    const next = edit(text);
    if (next === text) return { path: file, changed: false };
    let backup: string | undefined;
    if (current) {
      backup = `${file}.mcp-dock-backup`;
      await copyFile(file, backup);
    }
    await writeFileAtomic(file, next, current?.mode ?? 0o600);
    return { path: file, changed: true, ...(backup ? { backup } : {}) };
  });
}
