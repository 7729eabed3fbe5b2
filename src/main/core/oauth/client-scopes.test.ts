import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverSpecSchema } from '../../../shared/servers';
import { startHeadlessCore } from '../../../../test-support/headless-core';
import type { Core } from '../create-core';

// Which scopes a client can get: only those it was registered for, whether or not a server of
// that name exists yet, and the gateway's scopes only when named at registration.
let core: Core;
let base: string;

beforeAll(async () => {
  core = await startHeadlessCore();
  base = core.httpOrigin;
});
afterAll(() => core.close());

async function tokenFor(client: { client_id: string; client_secret: string }, scope?: string) {
  const response = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.client_id,
      client_secret: client.client_secret,
      ...(scope === undefined ? {} : { scope }),
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('client_credentials scopes', () => {
  it('refuses a per-server scope the client was not registered for, whether the server exists or not', async () => {
    const client = await core.oauthClients.create({
      name: 'access-only',
      grant: 'client_credentials',
      scope: 'mcp.access',
    });
    // No server "later" exists: this used to be granted.
    expect(await tokenFor(client, 'mcp.access mcp:server:later')).toMatchObject({
      status: 400,
      body: {
        error: 'invalid_scope',
        error_description: expect.stringContaining('mcp:server:later'),
      },
    });
    // A catalog server exists under this name: refused as before.
    expect(await tokenFor(client, 'mcp.access mcp:server:context7')).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
    expect(await tokenFor(client, 'mcp:servers')).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
    expect(await tokenFor(client)).toMatchObject({ status: 200, body: { scope: 'mcp.access' } });
  });

  it('a token asked for before the server existed does not reach it once it is added', async () => {
    const client = await core.oauthClients.create({
      name: 'early-bird',
      grant: 'client_credentials',
      scope: 'mcp.access',
    });
    const early = await tokenFor(client, 'mcp.access mcp:server:arrives-later');
    expect(early.status).toBe(400);
    await core.api.servers.add({
      spec: serverSpecSchema.parse({ name: 'arrives-later', image: 'example/none:1', command: ['x'] }),
    });
    expect(await tokenFor(client, 'mcp.access mcp:server:arrives-later')).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
  });

  it('grants a per-server scope the client was registered for, before and after the server exists', async () => {
    const client = await core.oauthClients.create({
      name: 'named-server',
      grant: 'client_credentials',
      scope: 'mcp.access mcp:server:planned',
    });
    expect(await tokenFor(client, 'mcp.access mcp:server:planned')).toMatchObject({
      status: 200,
      body: { scope: 'mcp.access mcp:server:planned' },
    });
    // Naming no scope still gets the default only, never the server's.
    expect(await tokenFor(client)).toMatchObject({ status: 200, body: { scope: 'mcp.access' } });
  });

  it('makes test tokens (panel, create_oauth2_test_token) only within the client’s registered scopes', async () => {
    await core.oauthClients.create({
      name: 'test-token-client',
      grant: 'client_credentials',
      scope: 'mcp.access',
    });
    const ask = (scope: string) =>
      core.api.oauth.createTestToken({
        clientId: 'test-token-client',
        scope,
        audience: `${base}/mcp`,
        ttlSeconds: 600,
      });
    await expect(ask('mcp.access mcp:servers')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('mcp:servers'),
    });
    await expect(ask('mcp.access mcp:server:someday')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(ask('mcp.access')).resolves.toMatchObject({ scope: 'mcp.access' });
  });

  it('refuses to create a client registered for no scope at all', async () => {
    await expect(
      core.oauthClients.create({ name: 'no-scope', grant: 'client_credentials', scope: ' ' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('scope') });
  });
});

describe('self-registered clients', () => {
  const REDIRECT = 'http://127.0.0.1:33334/callback';

  async function register(metadata: Record<string, unknown>) {
    return oidc.dynamicClientRegistration(
      new URL(base),
      { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', ...metadata },
      oidc.None(),
      { execute: [oidc.allowInsecureRequests] },
    );
  }

  async function authorize(config: oidc.Configuration, scope: string): Promise<URL> {
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      resource: `${base}/mcp`,
    });
    const response = await fetch(url, { redirect: 'manual' });
    return new URL(response.headers.get('location')!, base);
  }

  it('are registered for what they named, and asking for more ends in invalid_scope', async () => {
    const config = await register({ scope: 'mcp.access offline_access' });
    expect(config.clientMetadata().scope).toBe('mcp.access offline_access');
    const refused = await authorize(config, 'mcp.access mcp:server:not-yet');
    expect(refused.origin + refused.pathname).toBe(REDIRECT);
    expect(refused.searchParams.get('error')).toBe('invalid_scope');
    const gateway = await authorize(config, 'mcp.access mcp:servers');
    expect(gateway.searchParams.get('error')).toBe('invalid_scope');
    // Within the registration, the request goes on to the consent step.
    const allowed = await authorize(config, 'mcp.access offline_access');
    expect(allowed.pathname).toMatch(/^\/oauth2\/interaction\//);
  });

  it('get mcp.access and offline_access when they name no scope, never the gateway’s scopes', async () => {
    const config = await register({});
    expect(config.clientMetadata().scope).toBe('mcp.access offline_access');
    expect((await authorize(config, 'mcp.access mcp:servers')).searchParams.get('error')).toBe(
      'invalid_scope',
    );
  });

  it('may register for the gateway’s scopes by name', async () => {
    const config = await register({ scope: 'mcp.access mcp:servers offline_access' });
    const next = await authorize(config, 'mcp.access mcp:servers');
    expect(next.pathname).toMatch(/^\/oauth2\/interaction\//);
  });
});
