import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPanelSession, startHeadlessCore } from '../../../../test-support/headless-core';
import { browseUntil, CookieJar } from '../../../../test-support/oauth-browser';
import type { Core } from '../create-core';

// The authorization code flow with PKCE as a strict client runs it (openid-client), against a
// real server on 127.0.0.1, with the consent step answered the two ways MCP Dock offers: the
// Allow/Deny page for a browser holding the panel's session, and the app window's queue.
let core: Core;
let base: string;
// What the consent page's script reads from the panel's storage and puts in the form.
let panelSession: string;
const REDIRECT = 'http://127.0.0.1:33333/callback';

beforeAll(async () => {
  core = await startHeadlessCore();
  base = core.httpOrigin;
  panelSession = await openPanelSession(base);
});
afterAll(() => core.close());

async function registerClient(metadata: Record<string, unknown> = {}) {
  return oidc.dynamicClientRegistration(
    new URL(base),
    {
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'none',
      client_name: 'Strict MCP client',
      ...metadata,
    },
    oidc.None(),
    { execute: [oidc.allowInsecureRequests] },
  );
}

function browse(url: string, jar: CookieJar): Promise<Response> {
  return browseUntil(url, jar, REDIRECT);
}

async function startAuthorization(config: oidc.Configuration, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'mcp.access offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    resource: `${base}/mcp`,
    state,
    ...extra,
  });
  return { url: url.toString(), verifier, state };
}

async function allowOnPage(page: Response, jar: CookieJar): Promise<Response> {
  const html = await page.text();
  expect(html).toContain('Strict MCP client');
  expect(html).toMatch(/<button[^>]*value="allow"[^>]*>Allow<\/button>/);
  expect(html).toMatch(/<button[^>]*value="deny"[^>]*>Deny<\/button>/);
  const action = /action="([^"]+)"/.exec(html)![1]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
  const response = await fetch(new URL(action, base), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, session: panelSession, decision: 'allow' }),
  });
  jar.take(response);
  return browse(new URL(response.headers.get('location')!, base).toString(), jar);
}

describe('authorization code + PKCE with dynamic registration', () => {
  it('registers, asks the panel, issues tokens for the resource, refreshes with rotation and catches reuse', async () => {
    const config = await registerClient();
    const { url, verifier, state } = await startAuthorization(config);
    const jar = new CookieJar();
    const consentPage = await browse(url, jar);
    expect(consentPage.status).toBe(200);
    const back = await allowOnPage(consentPage, jar);
    const callback = new URL(back.headers.get('location')!);
    expect(callback.searchParams.get('iss')).toBe(base);

    const tokens = await oidc.authorizationCodeGrant(
      config,
      callback,
      { pkceCodeVerifier: verifier, expectedState: state },
      { resource: `${base}/mcp` },
    );
    expect(tokens.refresh_token).toBeTruthy();
    const claims = JSON.parse(
      Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({
      aud: `${base}/mcp`,
      iss: base,
      sub: 'panel-owner',
      scope: expect.stringContaining('mcp.access'),
    });
    const hello = await fetch(`${base}/hello`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(hello.status).toBe(200);

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, {
      resource: `${base}/mcp`,
    });
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    // Replaying the old refresh token revokes the whole grant, so the new one dies too.
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('revoking a grant in the panel ends its refresh tokens and its access tokens', async () => {
    const config = await registerClient();
    const { url, verifier, state } = await startAuthorization(config);
    const jar = new CookieJar();
    const back = await allowOnPage(await browse(url, jar), jar);
    const tokens = await oidc.authorizationCodeGrant(
      config,
      new URL(back.headers.get('location')!),
      { pkceCodeVerifier: verifier, expectedState: state },
      { resource: `${base}/mcp` },
    );
    const grant = (await core.api.oauth.grants()).find(
      (g) => g.clientId === config.clientMetadata().client_id,
    )!;
    expect(grant).toMatchObject({ accountId: 'panel-owner' });
    await core.api.oauth.revokeGrant({ grantId: grant.grantId });
    expect(
      (await fetch(`${base}/hello`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status,
    ).toBe(401);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('without the panel session the page waits, and the app window’s decision completes it', async () => {
    const config = await registerClient({ client_name: 'Desktop-approved client' });
    const { url, verifier, state } = await startAuthorization(config);
    const jar = new CookieJar();
    const waiting = await browse(url, jar);
    const html = await waiting.text();
    expect(html).toContain('Approve in MCP Dock');
    // Allow/Deny stay hidden unless the page's script finds the panel's session in this browser.
    expect(html).toMatch(/<form id="decide-here" hidden /);
    const uid = new URL(waiting.url).pathname.split('/').at(-1)!;
    const status = () =>
      fetch(`${base}/oauth2/interaction/${uid}/status`).then((r) => r.json() as Promise<{ state: string }>);
    expect(await status()).toEqual({ state: 'pending' });
    const pending = core.consents.list().find((c) => c.clientName === 'Desktop-approved client')!;
    expect(pending).toMatchObject({
      scopes: ['mcp.access', 'offline_access'],
      resources: [`${base}/mcp`],
      redirectUri: REDIRECT,
    });
    expect(core.consents.decide(pending.uid, 'allow')).toBe(true);
    // What the waiting page polls; it then reloads, which finishes the sign-in.
    expect(await status()).toEqual({ state: 'decided' });
    const back = await browse(waiting.url, jar);
    const callback = new URL(back.headers.get('location')!);
    await expect(
      oidc.authorizationCodeGrant(
        config,
        callback,
        { pkceCodeVerifier: verifier, expectedState: state },
        { resource: `${base}/mcp` },
      ),
    ).resolves.toHaveProperty('access_token');
  });

  it('repeats of one request wait as one entry, answered together, then expire with the interaction', async () => {
    const config = await registerClient({ client_name: 'Repeating client' });
    const pages: Response[] = [];
    const jars: CookieJar[] = [];
    for (let i = 0; i < 3; i++) {
      const jar = new CookieJar();
      jars.push(jar);
      pages.push(await browse((await startAuthorization(config)).url, jar));
    }
    const entries = core.consents.list().filter((c) => c.clientName === 'Repeating client');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      repeats: 3,
      clientKind: 'registered',
      redirectHost: '127.0.0.1:33333',
    });
    expect(Date.parse(entries[0]!.expiresAt) - Date.now()).toBeGreaterThan(9 * 60 * 1000);
    core.consents.decide(entries[0]!.uid, 'deny');
    for (const [i, page] of pages.entries()) {
      const back = await browse(page.url, jars[i]!);
      expect(new URL(back.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
    }
  });

  it('a page without the panel session cannot approve, even with the form', async () => {
    const config = await registerClient();
    const { url } = await startAuthorization(config);
    const jar = new CookieJar();
    const page = await browse(url, jar);
    const html = await page.text();
    const action = /action="([^"]+)"/.exec(html)![1]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    const forged = await fetch(new URL(action, base), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, decision: 'allow' }),
    });
    expect(forged.status).toBe(403);
    // The printed token is not a panel session, and neither is a made-up one.
    for (const session of ['panel-token-0123456789', 'x'.repeat(43)]) {
      const wrong = await fetch(new URL(action, base), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, session, decision: 'allow' }),
      });
      expect(wrong.status).toBe(403);
    }
    const badCsrf = await fetch(new URL(action, base), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: 'x'.repeat(csrf.length), session: panelSession, decision: 'allow' }),
    });
    expect(badCsrf.status).toBe(403);
  });

  it('Deny sends access_denied back to the client', async () => {
    const config = await registerClient();
    const { url } = await startAuthorization(config);
    const jar = new CookieJar();
    const page = await browse(url, jar);
    const html = await page.text();
    const response = await fetch(new URL(/action="([^"]+)"/.exec(html)![1]!, base), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        csrf: /name="csrf" value="([^"]+)"/.exec(html)![1]!,
        session: panelSession,
        decision: 'deny',
      }),
    });
    jar.take(response);
    const back = await browse(new URL(response.headers.get('location')!, base).toString(), jar);
    expect(new URL(back.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
  });

  it.each([
    [{ code_challenge: '' }, 'invalid_request'],
    [{ code_challenge_method: 'plain' }, 'invalid_request'],
  ])('refuses an authorization request with %j', async (override, error) => {
    const config = await registerClient();
    const { url } = await startAuthorization(config);
    const bad = new URL(url);
    for (const [k, v] of Object.entries(override)) {
      if (v) bad.searchParams.set(k, v);
      else bad.searchParams.delete(k);
    }
    const back = await browse(bad.toString(), new CookieJar());
    expect(new URL(back.headers.get('location')!).searchParams.get('error')).toBe(error);
  });
});

describe('registration rules', () => {
  async function register(body: Record<string, unknown>) {
    const response = await fetch(`${base}/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it.each([
    ['http://127.0.0.1:4567/cb'],
    ['http://localhost:8000/callback'],
    ['http://[::1]:9000/cb'],
    ['https://app.example.com/oauth/callback'],
  ])('accepts %s', async (uri) => {
    const { status, body } = await register({ redirect_uris: [uri] });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
    });
  });

  it.each([
    ['javascript:alert(1)'],
    ['data:text/html,hi'],
    ['myapp://callback'],
    ['file:///tmp/cb'],
    ['http://evil.example/cb'],
    ['http://192.168.1.5/cb'],
    ['https://app.example.com/cb#frag'],
    ['not a url'],
  ])('refuses %s with invalid_redirect_uri', async (uri) => {
    expect(await register({ redirect_uris: [uri] })).toMatchObject({
      status: 400,
      body: { error: 'invalid_redirect_uri' },
    });
  });

  it('refuses self-registered confidential clients and other grants', async () => {
    expect(
      await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'client_secret_basic' }),
    ).toMatchObject({ status: 400, body: { error: 'invalid_client_metadata' } });
    expect(await register({ redirect_uris: [REDIRECT], grant_types: ['client_credentials'] })).toMatchObject({
      status: 400,
      body: { error: 'invalid_client_metadata' },
    });
    expect(await register({})).toMatchObject({ status: 400, body: { error: 'invalid_redirect_uri' } });
  });
});
