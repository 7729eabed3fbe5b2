import { AsyncLocalStorage } from 'node:async_hooks';
import type Provider from 'oidc-provider';
import type { AuthenticatedClient } from './client-authentication';
import { isClientSecretHash, verifyClientSecret } from './client-secret-hash';

// The client a request authenticated as in front of oidc-provider, so the provider's own check of
// the same credentials (it authenticates again) need not pay for the hash twice.
const authenticatedHere = new AsyncLocalStorage<AuthenticatedClient>();

// Runs the provider's handling of a request MCP Dock has already authenticated.
export function runAsAuthenticated<T>(caller: AuthenticatedClient, handle: () => T): T {
  return authenticatedHere.run(caller, handle);
}

// Client secrets are stored as scrypt hashes; oidc-provider compares what it stores with what the
// client sent, so the comparison is the one place that has to know.
export function compareHashedClientSecrets(provider: Provider): void {
  const original = provider.Client.prototype.compareClientSecret as (
    this: { clientSecret?: string },
    actual: string,
  ) => Promise<boolean>;
  provider.Client.prototype.compareClientSecret = async function (
    this: { clientSecret?: string; clientId: string },
    actual: string,
  ) {
    const here = authenticatedHere.getStore();
    if (here?.confidential && here.clientId === this.clientId && here.secret === actual) return true;
    const stored = this.clientSecret ?? '';
    return isClientSecretHash(stored) ? verifyClientSecret(stored, actual) : original.call(this, actual);
  } as never;
}
