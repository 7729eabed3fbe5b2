import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DockError } from '../../../shared/errors';
import { hashClientSecret } from './client-secret-hash';
import type { OAuthStore } from './file-adapter';
import { SUPPORTED_SCOPES } from './authorization-server';

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
  kind: 'confidential' | 'public';
  grant_types: string[];
  scope: string;
  created_at: number | undefined;
}

// Confidential clients are made here (app or CLI) and their secret is shown once: only its scrypt
// hash is stored. Revoking a client also drops every grant and token record it had.
export function createClientAdmin(store: OAuthStore) {
  const clients = new store.Adapter('Client');
  return {
    async create(input: NewClient): Promise<{ client_id: string; client_secret: string }> {
      const id = clientIdSchema.parse(input.name);
      const scopes = input.scope.split(' ').filter(Boolean);
      const unknown = scopes.filter((s) => !(SUPPORTED_SCOPES as readonly string[]).includes(s));
      if (unknown.length > 0)
        throw new DockError(
          'INVALID_INPUT',
          `unknown scope ${unknown.join(' ')}; supported: ${SUPPORTED_SCOPES.join(' ')}`,
        );
      if (await clients.find(id))
        throw new DockError(
          'INVALID_INPUT',
          `a client named "${id}" already exists; revoke it first or pick another name`,
        );
      const secret = input.secret ?? randomBytes(32).toString('base64url');
      await clients.upsert(id, {
        client_id: id,
        client_secret: await hashClientSecret(secret),
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
        client_id: String(c.client_id),
        kind: c.token_endpoint_auth_method === 'none' ? 'public' : 'confidential',
        grant_types: (c.grant_types as string[] | undefined) ?? [],
        scope: String(c.scope ?? ''),
        created_at: typeof c.client_id_issued_at === 'number' ? c.client_id_issued_at : undefined,
      }));
    },
    exists: (id: string) => store.list('Client').some((c) => c.client_id === id),
    async revoke(id: string): Promise<void> {
      if (!(await clients.find(id)))
        throw new DockError(
          'INVALID_INPUT',
          `no client named "${id}"; list them with \`mcp-dock clients list\``,
        );
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

export type ClientAdmin = ReturnType<typeof createClientAdmin>;
