import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import { SecretStoreError } from '../core/errors';
import { fileKeyProvider, KEY_BYTES, type KeyProvider } from '../core/secrets/key-provider';
import { writeFileAtomic } from '../core/store/atomic-write';

// The desktop app keeps the secrets key wrapped by the OS keychain (Keychain, DPAPI, libsecret /
// kwallet). Where Electron has no real keychain (Linux without one reports "basic_text", a fixed
// key), wrapping would be theatre, so the key stays in the 0600 key file as in headless mode.
export function safeStorageKeyProvider(dataDir: string): KeyProvider {
  const usable =
    safeStorage.isEncryptionAvailable() &&
    (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text');
  if (!usable) return fileKeyProvider(dataDir);
  const file = join(dataDir, 'secret.key.safe');
  return {
    kind: 'OS keychain',
    async loadOrCreateKey() {
      try {
        const wrapped = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
        const key = Buffer.from(safeStorage.decryptString(wrapped), 'base64');
        if (key.length !== KEY_BYTES)
          throw new SecretStoreError(`${file} does not hold a ${KEY_BYTES}-byte key`);
        return key;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          if (error instanceof SecretStoreError) throw error;
          throw new SecretStoreError(
            `the OS keychain could not unwrap ${file}: ${(error as Error).message}`,
            { cause: error },
          );
        }
      }
      const key = randomBytes(KEY_BYTES);
      await writeFileAtomic(
        file,
        `${safeStorage.encryptString(key.toString('base64')).toString('base64')}\n`,
      );
      return key;
    },
  };
}
