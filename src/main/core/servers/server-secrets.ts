import type { SecretStore } from '../secrets/secret-store';

// The secret-store steps that adding and editing a server (container or remote) share.

export async function setSecrets(
  secrets: SecretStore,
  server: string,
  values: Record<string, string> | undefined,
): Promise<void> {
  for (const [key, value] of Object.entries(values ?? {})) await secrets.set(server, key, value);
}

// All or nothing: a server whose secrets could not be stored is not left behind (`undo` takes
// its entry out again).
export async function setSecretsOrUndo(
  secrets: SecretStore,
  server: string,
  values: Record<string, string> | undefined,
  undo: () => Promise<void>,
): Promise<void> {
  try {
    await setSecrets(secrets, server, values);
  } catch (error) {
    await secrets.remove(server).catch(() => undefined);
    await undo().catch(() => undefined);
    throw error;
  }
}

// A rename carries the server's secrets to its new name.
export async function moveSecrets(secrets: SecretStore, from: string, to: string): Promise<void> {
  await setSecrets(secrets, to, await secrets.values(from, secrets.names(from)));
  await secrets.remove(from);
}
