import { join } from 'node:path';
import { safeStorage } from 'electron';
import { fileKeyProvider, loadOrCreateStoredKey, type KeyProvider } from '../core/secrets/key-provider';

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
    loadOrCreateKey: () =>
      loadOrCreateStoredKey(file, {
        decode: (text) => Buffer.from(safeStorage.decryptString(Buffer.from(text, 'base64')), 'base64'),
        encode: (key) => safeStorage.encryptString(key.toString('base64')).toString('base64'),
        verb: 'unwrap with the OS keychain',
      }),
  };
}
