import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { SecretStoreError } from '../errors';
import { OwnWrites, storeLoader } from '../store/json-file';
import type { KeyProvider } from './key-provider';

const fileSchema = z
  .object({
    version: z.literal(1),
    entries: z.record(z.string(), z.record(z.string(), z.string().regex(/^v1:[\w+/=]+:[\w+/=]+:[\w+/=]*$/))),
  })
  .strict();

export interface SecretStore {
  set(server: string, name: string, value: string): Promise<void>;
  remove(server: string, name?: string): Promise<void>;
  names(server: string): string[];
  // Decrypted values for a container's environment; never logged, never returned over the contract.
  values(server: string, names: readonly string[]): Promise<Record<string, string>>;
  reload(): Promise<void>;
  holdsOwnWrite(): Promise<boolean>;
}

// AES-256-GCM with the slot ("server/NAME") as associated data, so a ciphertext copied into
// another slot fails to decrypt instead of leaking into the wrong container.
function seal(key: Buffer, slot: string, value: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(slot));
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return `v1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${body.toString('base64')}`;
}

function open(key: Buffer, slot: string, sealed: string): string {
  const [, iv, tag, body] = sealed.split(':');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv!, 'base64'));
    decipher.setAAD(Buffer.from(slot));
    decipher.setAuthTag(Buffer.from(tag!, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body!, 'base64')), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new SecretStoreError(
      `the secret ${slot} cannot be decrypted (wrong key or tampered file); set it again`,
      { cause: error },
    );
  }
}

export async function openSecretStore(dataDir: string, keys: KeyProvider): Promise<SecretStore> {
  const file = join(dataDir, 'secrets.json');
  const own = new OwnWrites(file);
  const read = storeLoader(file, fileSchema, () => ({ version: 1 as const, entries: {} }));
  const load = async () => (await read()).entries;
  let entries = await load();
  // The promise, not its value, is kept: two first uses at once must not each make a key (the
  // second would overwrite the first's file, and what it sealed could no longer be opened).
  let key: Promise<Buffer> | undefined;
  const getKey = () => {
    key ??= keys.loadOrCreateKey();
    key.catch(() => (key = undefined));
    return key;
  };

  const persist = async (next: typeof entries) => {
    await own.save({ version: 1, entries: next });
    entries = next;
  };
  // Changes take turns: each builds on the entries the one before left (two tokens saved at
  // once by two remote servers' sign-ins would otherwise keep only the last).
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = (work: () => Promise<void>): Promise<void> => {
    const next = turn.then(work);
    turn = next.catch(() => undefined);
    return next;
  };

  return {
    async set(server, name, value) {
      const sealed = seal(await getKey(), `${server}/${name}`, value);
      await inTurn(() => persist({ ...entries, [server]: { ...entries[server], [name]: sealed } }));
    },
    remove: (server, name) =>
      inTurn(async () => {
        const next = { ...entries };
        if (name === undefined) delete next[server];
        else {
          const rest = { ...next[server] };
          delete rest[name];
          next[server] = rest;
        }
        await persist(next);
      }),
    names: (server) => Object.keys(entries[server] ?? {}).sort(),
    reload: () =>
      inTurn(async () => {
        entries = await load();
      }),
    holdsOwnWrite: () => own.holdsOwnWrite(),
    async values(server, names) {
      const out: Record<string, string> = {};
      const k = await getKey();
      for (const name of names) {
        const sealed = entries[server]?.[name];
        if (sealed !== undefined) out[name] = open(k, `${server}/${name}`, sealed);
      }
      return out;
    },
  };
}
