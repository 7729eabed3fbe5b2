import { randomBytes } from 'node:crypto';
import type { SecretStore } from '../../secrets/secret-store';
import { AuditFailedError } from './audit-errors';

// Where the seal's key lives: the data directory's secret store (encrypted at rest, with the OS
// keychain in the desktop app), never in the audit folder, so whoever can edit the log cannot
// re-seal it.
export interface AuditSealKeys {
  // The key, or undefined when none was ever made.
  load(): Promise<Buffer | undefined>;
  // Makes and stores a new key (the first time a log is sealed).
  create(): Promise<Buffer>;
}

// What a reader found to check a seal with.
export type SealKeyLookup =
  | { state: 'found'; key: Buffer }
  // There is no seal key: no log of this data directory was ever sealed.
  | { state: 'none'; reason: string }
  // There may be one, but it cannot be read here.
  | { state: 'unavailable'; reason: string };

export const SEAL_KEY_SLOT = 'security';
export const SEAL_KEY_NAME = 'audit-seal-key';
const KEY_BYTES = 32;

export function decodeSealKey(text: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES)
    throw new AuditFailedError(
      `the secret store's ${SEAL_KEY_NAME} is not a ${KEY_BYTES}-byte key (${key.length} bytes)`,
    );
  return key;
}

export function secretStoreSealKeys(secrets: SecretStore): AuditSealKeys {
  return {
    async load() {
      // Asking for the names needs no key: a store that never held a seal key is not unlocked.
      if (!secrets.names(SEAL_KEY_SLOT).includes(SEAL_KEY_NAME)) return undefined;
      const text = (await secrets.values(SEAL_KEY_SLOT, [SEAL_KEY_NAME]))[SEAL_KEY_NAME];
      return text === undefined ? undefined : decodeSealKey(text);
    },
    async create() {
      const key = randomBytes(KEY_BYTES);
      await secrets.set(SEAL_KEY_SLOT, SEAL_KEY_NAME, key.toString('base64'));
      return key;
    },
  };
}

export async function lookupSealKey(keys: AuditSealKeys): Promise<SealKeyLookup> {
  const key = await keys.load();
  return key
    ? { state: 'found', key }
    : { state: 'none', reason: 'the secret store holds no audit seal key' };
}
