import { chmod, readFile, stat } from 'node:fs/promises';
import { SecretStoreError } from '../errors';
import type { SecretStore } from '../secrets/secret-store';
import { writeFileAtomic } from '../store/atomic-write';
import { Fernet, generateFernetKey, MultiFernet } from './fernet';

// Where the Fernet keys live: encrypted in the app's secret store (the default), or a 0600 file
// as the guide keeps it, for sharing with Python's cryptography. Newest key first: it encrypts,
// all of them decrypt (MultiFernet), so rotating never strands old tokens.
export interface FernetKeySource {
  readonly where: string;
  load(): Promise<string[] | undefined>;
  save(keys: readonly string[]): Promise<void>;
}

const SLOT = 'security';
const NAME = 'fernet-keys';

export function secretStoreFernetKeys(secrets: SecretStore): FernetKeySource {
  return {
    where: 'the secret store',
    async load() {
      const stored = (await secrets.values(SLOT, [NAME]))[NAME];
      return stored === undefined ? undefined : stored.split('\n').filter(Boolean);
    },
    save: (keys) => secrets.set(SLOT, NAME, keys.join('\n')),
  };
}

// One key per line, newest first; a file with a single key is exactly the guide's key file.
export function fileFernetKeys(file: string): FernetKeySource {
  return {
    where: file,
    async load() {
      let text: string;
      try {
        const info = await stat(file);
        if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) await chmod(file, 0o600);
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new SecretStoreError(`cannot read the Fernet key file ${file}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      return text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
    },
    save: (keys) => writeFileAtomic(file, `${keys.join('\n')}\n`),
  };
}

function check(keys: readonly string[], where: string): MultiFernet {
  if (keys.length === 0) throw new SecretStoreError(`${where} holds no Fernet key`);
  try {
    return new MultiFernet(keys.map((k) => new Fernet(k)));
  } catch (error) {
    throw new SecretStoreError(`${where} holds an invalid Fernet key: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export interface FernetKeys {
  current(): MultiFernet;
  count(): number;
  readonly where: string;
  rotate(): Promise<number>;
}

// Loads the keys, or generates and stores the first one. A present but broken key is an error,
// never silently replaced: that would make every earlier token undecryptable.
export async function openFernetKeys(source: FernetKeySource): Promise<FernetKeys> {
  const loaded = await source.load();
  let keys = loaded ?? [generateFernetKey()];
  if (loaded === undefined) await source.save(keys);
  let multi = check(keys, source.where);
  return {
    where: source.where,
    current: () => multi,
    count: () => keys.length,
    async rotate() {
      const next = [generateFernetKey(), ...keys];
      await source.save(next);
      keys = next;
      multi = check(next, source.where);
      return next.length;
    },
  };
}
