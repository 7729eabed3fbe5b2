import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { formatZodError } from '../../../shared/errors';
import { StoreFileError } from '../errors';
import { writeFileAtomic } from './atomic-write';

// Reads a JSON file through its schema. Missing means the fallback; unreadable, non-JSON or
// off-schema is an error naming the problem, and the file is never touched, so a typo by hand
// never costs the user their data.
export async function loadJsonFile<S extends z.ZodType>(
  file: string,
  schema: S,
  fallback: () => z.output<S>,
  fail: (reason: string, cause?: unknown) => Error,
): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback();
    throw fail((error as Error).message, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw fail(`not JSON: ${(error as Error).message}`, error);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw fail(formatZodError(parsed.error));
  return parsed.data;
}

export async function saveJsonFile(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

// One store's writes to its file. A data-directory watcher must not reload a store from its own
// write: newer changes may be queued by then, and the reload would drop them. Only what someone
// else wrote (the CLI, an editor) is reloaded.
//
// Ours are the last write that reached the file and those still under way; nothing older. Once a
// later write of ours has landed, an older text in the file was put there by someone else, even
// if it equals what we once wrote: add X and delete it in the app, add Y, then
// `mcp-dock servers remove Y` writes the very text of an earlier app write, and taking that for
// our own kept Y listed in the app for good.
export class OwnWrites {
  #landed: string | undefined;
  readonly #underWay = new Map<number, string>();
  #next = 0;
  constructor(readonly file: string) {}

  async save(value: unknown): Promise<void> {
    const text = `${JSON.stringify(value, null, 2)}\n`;
    const id = this.#next++;
    // Known before the write: the watcher may fire before this promise settles.
    this.#underWay.set(id, digest(text));
    try {
      await writeFileAtomic(this.file, text);
      this.#landed = digest(text);
    } finally {
      this.#underWay.delete(id);
    }
  }

  // False means the file holds someone else's write and the caller reloads it: from then on the
  // store holds their text, so even a later write that equals our last one is theirs to reload.
  async holdsOwnWrite(): Promise<boolean> {
    const text = await readFile(this.file, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      const found = digest(text);
      if (found === this.#landed || [...this.#underWay.values()].includes(found)) return true;
    }
    this.#landed = undefined;
    return false;
  }
}

// The loader every data-directory store uses: read the file through its schema, fall back when it
// does not exist yet, and name the file in the error when it is broken. Called again on reload.
export function storeLoader<S extends z.ZodType>(
  file: string,
  schema: S,
  fallback: () => z.output<S>,
): () => Promise<z.output<S>> {
  return () =>
    loadJsonFile(file, schema, fallback, (reason, cause) => new StoreFileError(file, reason, { cause }));
}
