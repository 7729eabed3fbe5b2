import type Provider from 'oidc-provider';
import type { OAuthStore } from './file-adapter';
import type { OAuthLimits } from './oauth-limits';
import { ISSUED } from './token-models';

// What oidc-provider announces and MCP Dock keeps a record of.

// JWT access tokens carry no stored exp here; `expiration` is the lifetime left, in seconds.
interface IssuedToken {
  jti?: string;
  clientId?: string;
  accountId?: string;
  grantId?: string;
  scope?: string;
  aud?: unknown;
  expiration?: number;
}

// Every JWT access token issued is recorded by jti until it would expire, so introspection and
// revocation can answer for it (see jwt-token-endpoints.ts).
export function recordIssuedTokens(provider: Pick<Provider, 'on'>, store: OAuthStore): void {
  const record = (token: IssuedToken) => {
    const ttl = token.expiration;
    if (!token.jti || !ttl) return;
    const exp = Math.floor(Date.now() / 1000) + ttl;
    void new store.Adapter(ISSUED)
      .upsert(
        token.jti,
        {
          jti: token.jti,
          clientId: token.clientId,
          accountId: token.accountId,
          grantId: token.grantId,
          scope: token.scope,
          aud: token.aud as never,
          exp,
        },
        ttl,
      )
      // The token is already on its way; the record stays in memory, so it works (and can be
      // revoked) until a restart even when the journal cannot be written.
      .catch(() => undefined);
  };
  provider.on('access_token.issued', record);
  provider.on('client_credentials.issued', record);
}

// A client that registered itself is kept a while unused; its first grant keeps it for good.
export function recordSelfRegistrations(
  provider: Pick<Provider, 'on'>,
  store: OAuthStore,
  limits: () => OAuthLimits,
): void {
  provider.on('registration_create.success', (_ctx, client: { clientId: string }) => {
    const { unusedRegistrationTtlSeconds, maxUnusedRegistrations } = limits();
    void store
      .markSelfRegistered(client.clientId, {
        unusedTtlS: unusedRegistrationTtlSeconds,
        maxUnused: maxUnusedRegistrations,
      })
      .catch(() => undefined);
  });
}
