import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SecretStoreError } from '../errors';
import { writeFileAtomic } from '../store/atomic-write';

// Where the key that encrypts secrets at rest comes from: a 0600 file here, Electron's
// safeStorage (the OS keychain) in the desktop app.
export interface KeyProvider {
  readonly kind: string;
  loadOrCreateKey(): Promise<Buffer>;
}

export const KEY_BYTES = 32;

export function fileKeyProvider(dataDir: string): KeyProvider {
  const file = join(dataDir, 'secret.key');
  return {
    kind: 'key file',
    async loadOrCreateKey() {
      try {
        const info = await stat(file);
        // Someone widened it by hand: narrow it again rather than keep serving it to others.
        if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) await chmod(file, 0o600);
        const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
        if (key.length !== KEY_BYTES)
          throw new SecretStoreError(`${file} does not hold a ${KEY_BYTES}-byte key`);
        return key;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          if (error instanceof SecretStoreError) throw error;
          throw new SecretStoreError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
        }
      }
      const key = randomBytes(KEY_BYTES);
      await writeFileAtomic(file, `${key.toString('base64')}\n`);
      return key;
    },
  };
}
