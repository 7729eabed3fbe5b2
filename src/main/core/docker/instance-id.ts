import { randomBytes } from 'node:crypto';
import { link, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DataDirError } from '../errors';
import { writeFileAtomic } from '../store/atomic-write';

export const INSTANCE_FILE = 'instance.json';

const instanceSchema = z
  .object({ version: z.literal(1), id: z.string().regex(/^[0-9a-f]{16,64}$/) })
  .strict();

// This data directory's id, which every container MCP Dock creates carries as a label: with two
// data directories on one engine, each must judge only its own containers. Kept in the data
// directory rather than derived from its path, so moving the folder keeps its containers.
export async function openInstanceId(dataDir: string): Promise<string> {
  const file = join(dataDir, INSTANCE_FILE);
  const existing = await readInstanceId(dataDir, file);
  if (existing) return existing;
  // The app and a CLI command may start at the same moment: the file is written aside and
  // linked into place, which fails if the other one got there first; then its id is the id.
  const temp = `${file}.${randomBytes(6).toString('hex')}.new`;
  await writeFileAtomic(temp, `${JSON.stringify({ version: 1, id: randomBytes(16).toString('hex') })}\n`);
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new DataDirError(dataDir, `cannot write ${INSTANCE_FILE}: ${(error as Error).message}`, {
        cause: error,
      });
  } finally {
    await rm(temp, { force: true });
  }
  const id = await readInstanceId(dataDir, file);
  if (!id) throw new DataDirError(dataDir, `${INSTANCE_FILE} vanished while it was being created`);
  return id;
}

async function readInstanceId(dataDir: string, file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DataDirError(dataDir, `cannot read ${INSTANCE_FILE}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let parsed;
  try {
    parsed = instanceSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  // A new id would disown every container this directory made, so a damaged file is an error.
  if (!parsed?.success)
    throw new DataDirError(
      dataDir,
      `${INSTANCE_FILE} does not hold {"version":1,"id":"<hex>"}; restore it from a backup, or delete it to start a new instance (its containers then show as another instance's)`,
    );
  return parsed.data.id;
}
