import { copyFile, mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { applyEdits, modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { ClientId, StdioLaunch } from '../../../shared/snippets';
import { ClientConfigBusyError, ClientConfigError } from '../errors';
import { ClientUnsupportedError } from './client-errors';
import { writeFileAtomic } from '../store/atomic-write';

export interface ClientConfigChange {
  path: string;
  // The file as it was before this change, when there was one.
  backup?: string;
  changed: boolean;
}

const STALE_LOCK_MS = 30_000;

function entryPath(client: ClientId, entryName: string): string[] {
  if (client === 'claude-code') {
    throw new ClientUnsupportedError();
  }
  return client === 'vscode' ? ['servers', entryName] : ['mcpServers', entryName];
}

function entryValue(client: ClientId, launch: StdioLaunch): Record<string, unknown> {
  const base = { command: launch.command, args: launch.args, ...(launch.env ? { env: launch.env } : {}) };
  return client === 'vscode' ? { type: 'stdio', ...base } : base;
}

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

async function readConfig(file: string): Promise<{ text: string; mode: number; existed: boolean }> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return { text, mode: info.mode & 0o777, existed: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { text: '{}\n', mode: 0o600, existed: false };
    throw new ClientConfigError(file, (error as Error).message, { cause: error });
  }
}

function checkParses(file: string, text: string): Record<string, unknown> {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const first = errors[0]!;
    const line = text.slice(0, first.offset).split('\n').length;
    throw new ClientConfigError(
      file,
      `it is not valid JSON (${printParseErrorCode(first.error)} at line ${line})`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ClientConfigError(file, 'its top level is not a JSON object');
  return value as Record<string, unknown>;
}

// Edits one entry in place: comments, formatting and every other entry stay as they were. The old
// file is kept as <file>.mcp-dock-backup, and the new one replaces it atomically.
async function edit(file: string, path: string[], value: unknown): Promise<ClientConfigChange> {
  return withLock(file, async () => {
    const { text, mode, existed } = await readConfig(file);
    checkParses(file, text);
    const edits = modify(text, path, value, {
      formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' },
    });
    const next = applyEdits(text, edits);
    if (next === text) return { path: file, changed: false };
    let backup: string | undefined;
    if (existed) {
      backup = `${file}.mcp-dock-backup`;
      await copyFile(file, backup);
    }
    await writeFileAtomic(file, next, mode);
    return { path: file, changed: true, ...(backup ? { backup } : {}) };
  });
}

export async function addToClientConfig(
  client: ClientId,
  file: string,
  entryName: string,
  launch: StdioLaunch,
): Promise<ClientConfigChange> {
  return edit(file, entryPath(client, entryName), entryValue(client, launch));
}

export async function removeFromClientConfig(
  client: ClientId,
  file: string,
  entryName: string,
): Promise<ClientConfigChange> {
  return edit(file, entryPath(client, entryName), undefined);
}

export async function hasClientEntry(client: ClientId, file: string, entryName: string): Promise<boolean> {
  const [section, name] = entryPath(client, entryName);
  const { text, existed } = await readConfig(file);
  if (!existed) return false;
  const config = checkParses(file, text);
  const entries = config[section!];
  return typeof entries === 'object' && entries !== null && Object.hasOwn(entries, name!);
}
