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

// How a key is kept in its file: plain base64, or wrapped by the OS keychain.
export interface KeyCodec {
  decode(text: string): Buffer;
  encode(key: Buffer): string;
  // For errors: "read", "unwrap with the OS keychain".
  verb: string;
}

// Reads and checks the key in `file`, or makes, stores (0600, atomically) and returns a new one
// when there is none. Any other failure is an error: never a silent new key that would orphan
// every stored secret.
export async function loadOrCreateStoredKey(file: string, codec: KeyCodec): Promise<Buffer> {
  try {
    const info = await stat(file);
    // Someone widened it by hand: narrow it again rather than keep serving it to others.
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) await chmod(file, 0o600);
    const key = codec.decode((await readFile(file, 'utf8')).trim());
    if (key.length !== KEY_BYTES) throw new SecretStoreError(`${file} does not hold a ${KEY_BYTES}-byte key`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      if (error instanceof SecretStoreError) throw error;
      throw new SecretStoreError(`cannot ${codec.verb} ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const key = randomBytes(KEY_BYTES);
  await writeFileAtomic(file, `${codec.encode(key)}\n`);
  return key;
}

export function fileKeyProvider(dataDir: string): KeyProvider {
  const file = join(dataDir, 'secret.key');
  return {
    kind: 'key file',
    loadOrCreateKey: () =>
      loadOrCreateStoredKey(file, {
        decode: (text) => Buffer.from(text, 'base64'),
        encode: (key) => key.toString('base64'),
        verb: 'read',
      }),
  };
}
