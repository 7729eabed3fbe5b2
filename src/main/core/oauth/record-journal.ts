import { appendFile, readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { formatZodError } from '../../../shared/errors';
import { StoreFileError } from '../errors';
import { writeFileAtomic } from '../store/atomic-write';

const putSchema = z
  .object({
    id: z.string().min(1),
    payload: z.record(z.string(), z.unknown()),
    expiresAt: z.number().optional(),
  })
  .strict();
const deleteSchema = z.object({ id: z.string().min(1), deleted: z.literal(true) }).strict();
const lineSchema = z.union([putSchema, deleteSchema]);

export interface JournalRecord {
  payload: Record<string, unknown>;
  expiresAt?: number | undefined;
}

// Rewritten (live records only) once it holds this many lines more than twice the live ones.
const COMPACT_SLACK = 1_000;

// A table of records kept in memory and on disk as an append-only JSON-lines file: one line per
// change, so recording one more costs one short append however many are live, where a JSON file
// rewritten whole costs them all. It holds the record of every access token issued (thousands
// an hour under load); a crash mid-append leaves a torn last line, which is ignored.
export async function openRecordJournal(file: string, now: () => number) {
  let records = new Map<string, JournalRecord>();
  let lines = 0;
  // The file's length after our last write: anything else on disk was written by someone else.
  let knownSize = 0;
  let buffered: string[] = [];
  let writing: Promise<void> = Promise.resolve();
  let failure: Error | undefined;

  const live = (r: JournalRecord) => r.expiresAt === undefined || r.expiresAt > now();

  // True when the file ended in a torn line, which must go before anything is appended after it.
  async function load(): Promise<boolean> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new StoreFileError(file, (error as Error).message, { cause: error });
      text = '';
    }
    const next = new Map<string, JournalRecord>();
    const rows = text.split('\n');
    let count = 0;
    let torn = false;
    for (const [i, row] of rows.entries()) {
      if (row === '') continue;
      const parsed = parseLine(row);
      if (typeof parsed === 'string') {
        // Only the last line can be torn by a crash; a bad line before it is damage to report.
        if (i === rows.length - 1) {
          torn = true;
          break;
        }
        throw new StoreFileError(file, `line ${i + 1}: ${parsed}`);
      }
      count++;
      apply(next, parsed);
    }
    // Changes made while the file was read are not in it yet: they stay.
    for (const row of buffered) apply(next, JSON.parse(row) as z.infer<typeof lineSchema>);
    records = next;
    lines = count;
    knownSize = Buffer.byteLength(text);
    return torn;
  }

  async function loadAndRepair(): Promise<void> {
    if (await load()) await compact();
  }

  function apply(map: Map<string, JournalRecord>, line: z.infer<typeof lineSchema>): void {
    if ('deleted' in line) map.delete(line.id);
    else map.set(line.id, { payload: line.payload, expiresAt: line.expiresAt });
  }

  function write(line: object): Promise<void> {
    buffered.push(`${JSON.stringify(line)}\n`);
    lines++;
    // Lines queued while an append is in flight go out together in the next one.
    if (buffered.length === 1) writing = writing.then(drain);
    return writing.then(() => {
      if (failure) throw failure;
    });
  }

  async function drain(): Promise<void> {
    const chunk = buffered.join('');
    buffered = [];
    try {
      await appendFile(file, chunk, { mode: 0o600 });
      knownSize += Buffer.byteLength(chunk);
      failure = undefined;
      if (lines > 2 * records.size + COMPACT_SLACK) await compact();
    } catch (error) {
      failure = new StoreFileError(file, `cannot write: ${(error as Error).message}`, { cause: error });
    }
  }

  async function compact(): Promise<void> {
    // Someone else appended since our last write: the reload their write triggers comes first,
    // and the next append compacts.
    if (!(await holdsOwnWrite())) return;
    const keep: string[] = [];
    for (const [id, r] of records) {
      if (!live(r)) {
        records.delete(id);
        continue;
      }
      keep.push(`${JSON.stringify({ id, payload: r.payload, expiresAt: r.expiresAt })}\n`);
    }
    const text = keep.join('');
    await writeFileAtomic(file, text);
    lines = keep.length;
    knownSize = Buffer.byteLength(text);
  }

  async function holdsOwnWrite(): Promise<boolean> {
    const size = await stat(file).then(
      (s) => s.size,
      () => 0,
    );
    return size === knownSize;
  }

  await loadAndRepair();

  return {
    get(id: string): JournalRecord | undefined {
      const r = records.get(id);
      return r && live(r) ? r : undefined;
    },
    values(): JournalRecord[] {
      return [...records.values()].filter(live);
    },
    entries(): IterableIterator<[string, JournalRecord]> {
      return records.entries();
    },
    put(id: string, record: JournalRecord): Promise<void> {
      records.set(id, record);
      return write({ id, payload: record.payload, expiresAt: record.expiresAt });
    },
    delete(id: string): Promise<void> {
      if (!records.delete(id)) return Promise.resolve();
      return write({ id, deleted: true });
    },
    sweep(): void {
      for (const [id, r] of records) if (!live(r)) records.delete(id);
    },
    flush: () => writing,
    holdsOwnWrite,
    // In the write queue, so no append lands between reading the file and replacing the table.
    reload(): Promise<void> {
      const done = writing.then(loadAndRepair);
      writing = done.catch(() => undefined);
      return done;
    },
  };
}

export type RecordJournal = Awaited<ReturnType<typeof openRecordJournal>>;

function parseLine(row: string): z.infer<typeof lineSchema> | string {
  let json: unknown;
  try {
    json = JSON.parse(row);
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  const parsed = lineSchema.safeParse(json);
  return parsed.success ? parsed.data : formatZodError(parsed.error);
}
