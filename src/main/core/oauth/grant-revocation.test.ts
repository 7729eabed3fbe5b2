import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeadlessCore } from '../../../../test-support/headless-core';
import { browseUntil, CookieJar } from '../../../../test-support/oauth-browser';
import type { Core } from '../create-core';

// A grant ended by any path (a replayed refresh token, a replayed code, the panel) takes its JWT
// access tokens with it at once: /hello, /mcp, the token inspector and the Tokens pane agree.
let core: Core;
let base: string;
const REDIRECT = 'http://127.0.0.1:33335/callback';

beforeAll(async () => {
  core = await startHeadlessCore();
  base = core.httpOrigin;
});
afterAll(() => core.close());

async function authorizedClient() {
  const config = await oidc.dynamicClientRegistration(
    new URL(base),
    { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', client_name: 'Replaying client' },
    oidc.None(),
    { execute: [oidc.allowInsecureRequests] },
  );
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'mcp.access offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    resource: `${base}/mcp`,
  });
  // Approved in the app window: the page without the panel's session waits for that answer.
  const jar = new CookieJar();
  const waiting = await browseUntil(url.toString(), jar, REDIRECT);
  const clientId = config.clientMetadata().client_id;
  const pending = core.consents.list().find((c) => c.clientId === clientId)!;
  core.consents.decide(pending.uid, 'allow');
  const back = await browseUntil(waiting.url, jar, REDIRECT);
  const callback = new URL(back.headers.get('location')!);
  return { config, callback, verifier };
}

async function exchange(config: oidc.Configuration, callback: URL, verifier: string) {
  return oidc.authorizationCodeGrant(
    config,
    callback,
    { pkceCodeVerifier: verifier, idTokenExpected: false },
    { resource: `${base}/mcp` },
  );
}

async function status(token: string) {
  const hello = await fetch(`${base}/hello`, { headers: { authorization: `Bearer ${token}` } });
  const mcp = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    }),
  });
  await mcp.body?.cancel();
  // Introspection answers only a token's own client, and only a confidential one: the panel's
  // inspector says the same from the same records.
  const { valid } = await core.api.oauth.inspectToken({ token });
  const listed = (await core.api.oauth.tokens()).some(
    (t) => t.jti === JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti,
  );
  return { hello: hello.status, mcp: mcp.status, valid, listed };
}

const alive = { hello: 200, mcp: 200, valid: true, listed: true };
const dead = { hello: 401, mcp: 401, valid: false, listed: false };

describe('ending a grant ends its access tokens everywhere', () => {
  it('a replayed refresh token', async () => {
    const { config, callback, verifier } = await authorizedClient();
    const first = await exchange(config, callback, verifier);
    const second = await oidc.refreshTokenGrant(config, first.refresh_token!, { resource: `${base}/mcp` });
    expect(await status(first.access_token)).toEqual(alive);
    expect(await status(second.access_token)).toEqual(alive);
    await expect(oidc.refreshTokenGrant(config, first.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect(await status(first.access_token)).toEqual(dead);
    expect(await status(second.access_token)).toEqual(dead);
  });

  it('a replayed authorization code', async () => {
    const { config, callback, verifier } = await authorizedClient();
    const tokens = await exchange(config, callback, verifier);
    expect(await status(tokens.access_token)).toEqual(alive);
    await expect(exchange(config, callback, verifier)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await status(tokens.access_token)).toEqual(dead);
  });

  it('revoking its refresh token at /oauth2/revoke', async () => {
    const { config, callback, verifier } = await authorizedClient();
    const tokens = await exchange(config, callback, verifier);
    await oidc.tokenRevocation(config, tokens.refresh_token!, { token_type_hint: 'refresh_token' });
    expect(await status(tokens.access_token)).toEqual(dead);
  });

  it('revoking the grant in the panel', async () => {
    const { config, callback, verifier } = await authorizedClient();
    const tokens = await exchange(config, callback, verifier);
    const clientId = config.clientMetadata().client_id;
    const grant = (await core.api.oauth.grants()).find((g) => g.clientId === clientId)!;
    await core.api.oauth.revokeGrant({ grantId: grant.grantId });
    expect(await status(tokens.access_token)).toEqual(dead);
  });
});

describe('introspecting a refresh token', () => {
  it('answers only the client it was issued to', async () => {
    const { config, callback, verifier } = await authorizedClient();
    const tokens = await exchange(config, callback, verifier);
    const other = await core.oauthClients.create({
      name: 'nosy-client',
      grant: 'client_credentials',
      scope: 'mcp.access',
    });
    const nosy = await oidc.discovery(
      new URL(base),
      other.client_id,
      undefined,
      oidc.ClientSecretPost(other.client_secret),
      { execute: [oidc.allowInsecureRequests] },
    );
    expect(await oidc.tokenIntrospection(nosy, tokens.refresh_token!)).toEqual({ active: false });
    expect(await oidc.tokenIntrospection(config, tokens.refresh_token!)).toMatchObject({
      active: true,
      client_id: config.clientMetadata().client_id,
    });
  });
});
