import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DockError } from '../../../../shared/errors';
import { SecretStoreError } from '../../errors';
import { fileKeyProvider, type KeyProvider } from '../../secrets/key-provider';
import { openSecretStore } from '../../secrets/secret-store';
import { decodeSealKey, SEAL_KEY_NAME, SEAL_KEY_SLOT, type SealKeyLookup } from './seal-keys';

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

// Opens the secret store with the key file only if there is one: a reader must never create a
// key (that would orphan every secret the app stored under its own).
function existingKeyFile(dataDir: string): KeyProvider {
  return {
    kind: 'key file',
    async loadOrCreateKey() {
      if (await exists(join(dataDir, 'secret.key'))) return fileKeyProvider(dataDir).loadOrCreateKey();
      // The desktop app's key, wrapped by the OS keychain (see shell/safe-storage-key.ts).
      if (await exists(join(dataDir, 'secret.key.safe')))
        throw new SecretStoreError(
          `it is locked with the OS keychain (${join(dataDir, 'secret.key.safe')}), which only the MCP Dock app can open: use Re-verify in the app's Audit pane`,
        );
      throw new SecretStoreError(`there is no secret.key in ${dataDir} to open it with`);
    },
  };
}

// The seal key of a data directory, read without changing anything there: for `mcp-dock audit
// verify` run beside the app, or on a copy.
export async function readSealKey(dataDir: string): Promise<SealKeyLookup> {
  try {
    const secrets = await openSecretStore(dataDir, existingKeyFile(dataDir));
    if (!secrets.names(SEAL_KEY_SLOT).includes(SEAL_KEY_NAME))
      return { state: 'none', reason: `the secret store of ${dataDir} holds no audit seal key` };
    const text = (await secrets.values(SEAL_KEY_SLOT, [SEAL_KEY_NAME]))[SEAL_KEY_NAME]!;
    return { state: 'found', key: decodeSealKey(text) };
  } catch (error) {
    // Not an error of the verify itself: it goes on without the key and says why.
    return {
      state: 'unavailable',
      reason: error instanceof DockError ? error.message : `cannot read the seal key: ${String(error)}`,
    };
  }
}
