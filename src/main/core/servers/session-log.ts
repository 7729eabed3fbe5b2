import { unwatchFile, watchFile } from 'node:fs';
import { appendFile, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { logLineSchema, type LogLine } from '../../../shared/servers';

// Per server, before the file is rotated to `<name>.log.1` (one generation kept).
export const SESSION_LOG_MAX_BYTES = 1024 * 1024;

function parseLines(text: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const raw of text.split('\n')) {
    if (!raw) continue;
    try {
      const parsed = logLineSchema.safeParse(JSON.parse(raw));
      if (parsed.success) lines.push(parsed.data);
    } catch {
      // A line cut by a crash mid-write is skipped; the next one stands on its own.
    }
  }
  return lines;
}

// The stderr of a server's MCP sessions (`docker exec` into its container, or a container per
// session in run mode). Docker keeps none of it: exec output goes only to whoever attached. The
// app shows it live; this file, JSON lines in the data directory's logs/, lets
// `mcp-dock servers logs` (another process) show it too.
export class SessionLog {
  readonly #writes = new Map<string, Promise<void>>();

  constructor(readonly dir: string) {}

  file(server: string): string {
    return join(this.dir, `${server}.log`);
  }

  // Writes in order per server, in the background: a full disk must not break a session, and the
  // live log (the app's buffer) has the lines anyway.
  append(server: string, lines: LogLine[]): void {
    if (lines.length === 0) return;
    const text = lines.map((l) => `${JSON.stringify(l)}\n`).join('');
    const previous = this.#writes.get(server) ?? Promise.resolve();
    const next = previous.then(() => this.#write(server, text)).catch(() => undefined);
    this.#writes.set(server, next);
    void next.then(() => {
      if (this.#writes.get(server) === next) this.#writes.delete(server);
    });
  }

  async #write(server: string, text: string): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.file(server);
    const size = await stat(file).then(
      (s) => s.size,
      () => 0,
    );
    if (size > 0 && size + Buffer.byteLength(text) > SESSION_LOG_MAX_BYTES) await rename(file, `${file}.1`);
    await appendFile(file, text, { mode: 0o600 });
  }

  // Waits for the writes queued so far (tests, and before a server's files are removed).
  async flush(): Promise<void> {
    await Promise.all(this.#writes.values());
  }

  // Everything kept, oldest first, and how far into the current file that reached (to follow on).
  async read(server: string): Promise<{ lines: LogLine[]; offset: number }> {
    const file = this.file(server);
    const older = await readFile(`${file}.1`, 'utf8').catch(() => '');
    const current = await readFile(file).catch(() => Buffer.alloc(0));
    // Only whole lines count: a line being written is picked up by follow().
    const end = current.lastIndexOf(0x0a) + 1;
    return {
      lines: [...parseLines(older), ...parseLines(current.subarray(0, end).toString('utf8'))],
      offset: end,
    };
  }

  // New lines from `offset` on, until the signal aborts. Polls the file's size: it may not exist
  // yet, it is replaced on rotation, and it is written by another process.
  follow(server: string, offset: number, onLine: (line: LogLine) => void, signal?: AbortSignal): () => void {
    const file = this.file(server);
    let position = offset;
    let inode: number | undefined;
    let reading = false;
    const readMore = async () => {
      if (reading) return;
      reading = true;
      try {
        const info = await stat(file).catch(() => undefined);
        const size = info?.size ?? 0;
        // Rotated (a new file) or cut: the new file is read from its start.
        if ((inode !== undefined && info && info.ino !== inode) || size < position) position = 0;
        inode = info?.ino ?? inode;
        if (size === position) return;
        const handle = await open(file, 'r');
        try {
          const buffer = Buffer.alloc(size - position);
          await handle.read(buffer, 0, buffer.length, position);
          const end = buffer.lastIndexOf(0x0a) + 1;
          position += end;
          for (const line of parseLines(buffer.subarray(0, end).toString('utf8'))) onLine(line);
        } finally {
          await handle.close();
        }
      } catch {
        // Gone between stat and open (rotation): the next poll reads the new file.
      } finally {
        reading = false;
      }
    };
    const listener = () => void readMore();
    watchFile(file, { interval: 250 }, listener);
    void readMore();
    const stop = () => unwatchFile(file, listener);
    signal?.addEventListener('abort', stop, { once: true });
    return stop;
  }

  async remove(server: string): Promise<void> {
    await this.flush();
    await rm(this.file(server), { force: true });
    await rm(`${this.file(server)}.1`, { force: true });
  }
}
