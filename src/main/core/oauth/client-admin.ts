import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { hashClientSecret } from './client-secret-hash';
import type { ClientRegistration, OAuthStore } from './file-adapter';
import {
  ClientExistsError,
  NoScopeError,
  UnknownClientError,
  UnknownGrantError,
  UnknownScopeError,
  UnknownTokenError,
} from './oauth-errors';
import { isSupportedScope, SCOPES_HELP } from './scopes';
import { ISSUED, isRevokedJti, REVOKED } from './token-models';

export const clientIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/, 'use 2-64 letters, digits, ".", "_" or "-"');

export interface NewClient {
  name: string;
  grant: 'client_credentials';
  scope: string;
  // Only to keep the guide's own credentials working; otherwise a strong one is generated.
  secret?: string | undefined;
}

export interface ClientSummary {
  client_id: string;
  client_name?: string;
  redirect_uris: string[];
  kind: 'confidential' | 'public';
  grant_types: string[];
  scope: string;
  created_at?: number;
  // It registered itself (dynamic registration), as opposed to being made in the app or the CLI.
  self_registered: boolean;
  // A self-registered client that was never granted anything lapses then (seconds).
  expires_at?: number;
}

// 256 random bits in base64url. One in 64 of those strings starts with "-", which command lines
// read as a flag (`mcp-dock token --secret -x...`); drawing again costs under a bit of entropy.
function generateClientSecret(): string {
  for (;;) {
    const secret = randomBytes(32).toString('base64url');
    if (!secret.startsWith('-')) return secret;
  }
}

// Confidential clients are made here (app or CLI) and their secret is shown once: only its scrypt
// hash is stored. Revoking a client also drops every grant and token record it had.
export function createClientAdmin(store: OAuthStore) {
  const clients = new store.Adapter('Client');
  return {
    async create(input: NewClient): Promise<{ client_id: string; client_secret: string }> {
      const id = clientIdSchema.parse(input.name);
      const scopes = input.scope.split(' ').filter(Boolean);
      if (scopes.length === 0) throw new NoScopeError(id);
      const unknown = scopes.filter((s) => !isSupportedScope(s));
      if (unknown.length > 0) throw new UnknownScopeError(unknown, SCOPES_HELP);
      if (await clients.find(id)) throw new ClientExistsError(id);
      const secret = input.secret ?? generateClientSecret();
      await clients.upsert(id, {
        client_id: id,
        client_secret: await hashClientSecret(secret, { generated: input.secret === undefined }),
        client_id_issued_at: Math.floor(Date.now() / 1000),
        grant_types: [input.grant],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_post',
        scope: scopes.join(' '),
      });
      return { client_id: id, client_secret: secret };
    },
    list(): ClientSummary[] {
      return store.list('Client').map((c) => ({
        ...summaryOfRegistration(store.registration(String(c.client_id))),
        client_id: String(c.client_id),
        ...(typeof c.client_name === 'string' ? { client_name: c.client_name } : {}),
        redirect_uris: (c.redirect_uris as string[] | undefined) ?? [],
        kind: c.token_endpoint_auth_method === 'none' ? 'public' : 'confidential',
        grant_types: (c.grant_types as string[] | undefined) ?? [],
        scope: String(c.scope ?? ''),
        ...(typeof c.client_id_issued_at === 'number' ? { created_at: c.client_id_issued_at } : {}),
      }));
    },
    // Whether a client registered itself and when, for the consent dialog; undefined when the
    // client is not stored (unknown, lapsed, or identified by a metadata document URL).
    registration: (id: string): ClientRegistration | undefined => store.registration(id),
    // Per request at /hello and /mcp: a lookup by id, not a scan of every client.
    exists: (id: string) => store.get('Client', id)?.client_id === id,
    tokens() {
      return store
        .list(ISSUED)
        .filter((t) => !isRevokedJti(store, String(t.jti)))
        .map((t) => ({
          jti: String(t.jti),
          clientId: String(t.clientId),
          ...(typeof t.accountId === 'string' ? { subject: t.accountId } : {}),
          scope: String(t.scope ?? ''),
          audience: Array.isArray(t.aud) ? t.aud.join(' ') : String(t.aud ?? ''),
          expiresAt: Number(t.exp),
        }));
    },
    async revokeToken(jti: string) {
      const token = store.get(ISSUED, jti);
      if (!token) throw new UnknownTokenError();
      const ttl = Math.max(1, Number(token.exp) - Math.floor(Date.now() / 1000));
      await new store.Adapter(REVOKED).upsert(jti, { jti, clientId: token.clientId }, ttl);
    },
    grants() {
      return store.list('Grant').map((g) => ({
        grantId: String(g.jti),
        clientId: String(g.clientId),
        accountId: String(g.accountId),
        ...(typeof g.exp === 'number' ? { expiresAt: g.exp } : {}),
      }));
    },
    // Ends a grant: its refresh tokens go, and its access tokens are refused from now on.
    async revokeGrant(grantId: string) {
      if (!store.get('Grant', grantId)) throw new UnknownGrantError();
      for (const token of store.list(ISSUED))
        if (token.grantId === grantId) await this.revokeToken(String(token.jti));
      await new store.Adapter('Grant').revokeByGrantId(grantId);
      await new store.Adapter('Grant').destroy(grantId);
    },
    async revoke(id: string): Promise<void> {
      if (!(await clients.find(id))) throw new UnknownClientError(id, { listHint: true });
      for (const token of store.list(ISSUED))
        if (token.clientId === id) await this.revokeToken(String(token.jti));
      await clients.destroy(id);
      for (const model of [
        'Grant',
        'RefreshToken',
        'AuthorizationCode',
        'AccessToken',
        'ClientCredentials',
      ]) {
        const adapter = new store.Adapter(model);
        for (const record of store.list(model)) {
          if (record.clientId === id && typeof record.jti === 'string') await adapter.destroy(record.jti);
        }
      }
    },
  };
}

function summaryOfRegistration(
  registration: ClientRegistration | undefined,
): Pick<ClientSummary, 'self_registered' | 'expires_at'> {
  return {
    self_registered: registration?.selfRegistered ?? false,
    ...(registration?.expiresAt !== undefined ? { expires_at: registration.expiresAt } : {}),
  };
}

export type ClientAdmin = ReturnType<typeof createClientAdmin>;
