import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { afterEach, describe, expect, it } from 'vitest';
import { remoteSpecSchema, type RemoteView } from '../../../shared/remotes';
import { gatewayHttpClient } from '../../../../test-support/gateway-clients';
import { startBareCore, startHeadlessCore } from '../../../../test-support/headless-core';
import { browseUntil, CookieJar } from '../../../../test-support/oauth-browser';
import type { Core } from '../create-core';
import { REMOTE_CALLBACK_PATH, refreshAhead } from './remote-oauth';

// MCP Dock as an OAuth client of a remote MCP server: the peer is a second MCP Dock, whose /mcp is
// protected by its own authorization server (discovery, dynamic registration, PKCE, consent in
// its queue, refresh tokens). Nothing of the flow is stubbed.

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

async function start(): Promise<{ app: Core; peer: Core }> {
  const peer = await startHeadlessCore();
  closers.push(() => peer.close());
  const app = await startBareCore();
  closers.push(() => app.close());
  await app.api.remotes.add({
    spec: remoteSpecSchema.parse({
      name: 'peer',
      url: `${peer.httpOrigin}/mcp`,
      auth: { type: 'oauth', scopes: ['mcp.access', 'mcp:servers', 'offline_access'] },
    }),
  });
  return { app, peer };
}

async function until(core: Core, check: (view: RemoteView | undefined) => boolean, ms = 10_000) {
  const find = (views: RemoteView[]) => views.find((v) => v.spec.name === 'peer');
  const now = find(await core.api.remotes.list());
  if (check(now)) return now!;
  return new Promise<RemoteView>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      void core.api.remotes.list().then((v) => reject(new Error(`timed out: ${JSON.stringify(v)}`)));
    }, ms);
    const stop = core.api.remotes.onChanged((views) => {
      if (!check(find(views))) return;
      clearTimeout(timer);
      stop();
      resolve(find(views)!);
    });
  });
}

// The user's browser: to the peer's authorization page, consent given in the peer's app window,
// and back to this app's callback.
async function signIn(app: Core, peer: Core): Promise<Response> {
  const { authorizationUrl } = await app.api.remotes.signIn({ name: 'peer' });
  expect(new URL(authorizationUrl).origin).toBe(peer.httpOrigin);
  const callback = `${app.httpOrigin}${REMOTE_CALLBACK_PATH}`;
  const jar = new CookieJar();
  const waiting = await browseUntil(authorizationUrl, jar, callback);
  const pending = peer.consents.list().at(-1)!;
  expect(pending.clientName).toMatch(/MCP Dock \(peer\)/);
  peer.consents.decide(pending.uid, 'allow');
  const back = await browseUntil(waiting.url, jar, callback);
  return fetch(back.headers.get('location')!);
}

let clients = 0;
async function client(app: Core): Promise<Client> {
  const c = await gatewayHttpClient(app, `oauth-remote-test-${++clients}`);
  closers.push(() => c.close());
  return c;
}

describe('a remote server behind OAuth', () => {
  it('signs in with PKCE in the browser, then serves its tools through /mcp', async () => {
    const { app, peer } = await start();
    expect((await until(app, (v) => v?.state === 'signed-out')).signedIn).toBe(false);
    // Without tokens the gateway does not even try it.
    const before = await client(app);
    expect((await before.listTools()).tools.some((t) => t.name.startsWith('peer__'))).toBe(false);

    const done = await signIn(app, peer);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Signed in to peer');
    const ready = await until(app, (v) => v?.state === 'ready');
    expect(ready.signedIn).toBe(true);
    expect(ready.tokenExpiresAt).toBeDefined();
    expect(ready.tools.map((t) => t.name)).toContain('test_pii_detection');

    const c = await client(app);
    const result = (await c.callTool({
      name: 'peer__test_encryption',
      arguments: { text: 'hello' },
    })) as { content: { text: string }[]; isError?: boolean };
    expect(result.isError).not.toBe(true);
    // The tokens are in the secret store, encrypted, never in a view.
    expect(JSON.stringify(await app.api.remotes.list())).not.toMatch(/access_token|refresh_token/);

    // Tokens belong to the server (and scopes) they were issued for: an edit of either signs out.
    const edited = await app.api.remotes.update({
      name: 'peer',
      spec: remoteSpecSchema.parse({
        name: 'peer',
        url: `${peer.httpOrigin}/mcp`,
        auth: { type: 'oauth', scopes: ['mcp.access'] },
      }),
    });
    expect(edited).toMatchObject({ state: 'signed-out', signedIn: false });
  });

  it('refreshes the access token, and asks for consent again when the refresh is refused', async () => {
    const { app, peer } = await start();
    await signIn(app, peer);
    await until(app, (v) => v?.state === 'ready');
    const first = (await app.remotes.oauth.stored('peer'))!.tokens;
    expect(first.refresh_token).toBeDefined();
    // What the timer does shortly before the token lapses; the timer, session opens and the card
    // asking at once make one refresh (the peer rotates refresh tokens: a second would be refused).
    await Promise.all([
      app.remotes.oauth.refresh('peer'),
      app.remotes.oauth.refresh('peer'),
      app.remotes.oauth.refresh('peer'),
    ]);
    const second = (await app.remotes.oauth.stored('peer'))!.tokens;
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(app.remotes.oauth.hasTokens('peer')).toBe(true);
    const c = await client(app);
    const whoami = (await c.callTool({ name: 'peer__get_oauth2_server_status', arguments: {} })) as {
      isError?: boolean;
    };
    expect(whoami.isError).not.toBe(true);

    // The user withdrew the grant at the peer: the refresh is refused, the tokens go, and the card
    // asks for a new sign-in.
    for (const grant of await peer.api.oauth.grants())
      await peer.api.oauth.revokeGrant({ grantId: grant.grantId });
    await expect(app.remotes.oauth.refresh('peer')).rejects.toMatchObject({
      code: 'REMOTE_SIGN_IN_REQUIRED',
    });
    const view = await until(app, (v) => v?.state === 'signed-out');
    expect(view.signedIn).toBe(false);
    expect(view.reason).toMatch(/sign in again|refresh/);
    const after = await client(app);
    expect((await after.listTools()).tools.some((t) => t.name.startsWith('peer__'))).toBe(false);
  });

  it('keeps the tokens when the authorization server is away, and says it will try again', async () => {
    const { app, peer } = await start();
    await signIn(app, peer);
    await until(app, (v) => v?.state === 'ready');
    await peer.close();
    await expect(app.remotes.oauth.refresh('peer')).rejects.toMatchObject({ code: 'REMOTE_AUTH_FAILED' });
    expect(app.remotes.oauth.hasTokens('peer')).toBe(true);
    expect(app.remotes.oauth.reason('peer')).toMatch(/trying again in a minute/);
  });

  it('signing in again keeps the working tokens until new ones replace them', async () => {
    const { app, peer } = await start();
    await signIn(app, peer);
    await until(app, (v) => v?.state === 'ready');
    const before = (await app.remotes.oauth.stored('peer'))!.tokens.access_token;
    // Started and abandoned in the browser.
    await app.api.remotes.signIn({ name: 'peer' });
    expect((await app.remotes.oauth.stored('peer'))!.tokens.access_token).toBe(before);
    expect((await app.api.remotes.list())[0]).toMatchObject({ signedIn: true, state: 'ready' });
  });

  it('refuses a callback it did not start, and a denied consent says so on the card', async () => {
    const { app, peer } = await start();
    const forged = await fetch(`${app.httpOrigin}${REMOTE_CALLBACK_PATH}?code=x&state=forged`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('unknown or expired');

    const { authorizationUrl } = await app.api.remotes.signIn({ name: 'peer' });
    const callback = `${app.httpOrigin}${REMOTE_CALLBACK_PATH}`;
    const jar = new CookieJar();
    const waiting = await browseUntil(authorizationUrl, jar, callback);
    peer.consents.decide(peer.consents.list().at(-1)!.uid, 'deny');
    const back = await browseUntil(waiting.url, jar, callback);
    const denied = await fetch(back.headers.get('location')!);
    expect(denied.status).toBe(400);
    const view = await until(app, (v) => v?.reason !== undefined);
    expect(view.state).toBe('signed-out');
    expect(view.reason).toMatch(/access_denied/);
  });
});

describe('a pre-registered OAuth client', () => {
  it('signs in with the client id the user gave, registering nothing', async () => {
    const peer = await startHeadlessCore();
    closers.push(() => peer.close());
    const app = await startBareCore();
    closers.push(() => app.close());
    // What an administrator does once at the authorization server: register MCP Dock's redirect.
    const registered = await oidc.dynamicClientRegistration(
      new URL(peer.httpOrigin),
      {
        redirect_uris: [`${app.httpOrigin}${REMOTE_CALLBACK_PATH}`],
        token_endpoint_auth_method: 'none',
        client_name: 'MCP Dock, registered by hand',
        scope: 'mcp.access mcp:servers',
      },
      oidc.None(),
      { execute: [oidc.allowInsecureRequests] },
    );
    const clientId = registered.clientMetadata().client_id;
    const before = peer.oauthClients.list().length;
    await app.api.remotes.add({
      spec: remoteSpecSchema.parse({
        name: 'peer',
        url: `${peer.httpOrigin}/mcp`,
        auth: { type: 'oauth', clientId, scopes: ['mcp.access', 'mcp:servers'] },
      }),
    });
    const { authorizationUrl } = await app.api.remotes.signIn({ name: 'peer' });
    expect(new URL(authorizationUrl).searchParams.get('client_id')).toBe(clientId);
    const callback = `${app.httpOrigin}${REMOTE_CALLBACK_PATH}`;
    const jar = new CookieJar();
    const waiting = await browseUntil(authorizationUrl, jar, callback);
    const pending = peer.consents.list().at(-1)!;
    expect(pending.clientId).toBe(clientId);
    peer.consents.decide(pending.uid, 'allow');
    const back = await browseUntil(waiting.url, jar, callback);
    expect((await fetch(back.headers.get('location')!)).status).toBe(200);
    await until(app, (v) => v?.state === 'ready');
    expect(peer.oauthClients.list().length).toBe(before);
  });
});

describe('a Client ID Metadata Document', () => {
  it('is the client id where the authorization server takes such documents, and nothing registers', async () => {
    // An authorization server that supports client metadata documents (MCP Dock's own does not):
    // its metadata, the resource's, and a log of what was asked of it.
    const asked: string[] = [];
    const server = createServer((req, res) => {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      asked.push(`${req.method} ${req.url}`);
      const json = (body: unknown) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.url?.startsWith('/.well-known/oauth-protected-resource'))
        return json({ resource: `${origin}/mcp`, authorization_servers: [origin] });
      if (req.url === '/.well-known/oauth-authorization-server')
        return json({
          issuer: origin,
          authorization_endpoint: `${origin}/authorize`,
          token_endpoint: `${origin}/token`,
          registration_endpoint: `${origin}/register`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
          client_id_metadata_document_supported: true,
        });
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const app = await startBareCore();
    closers.push(() => app.close());
    const document = 'https://mcp-dock.example.org/oauth/client.json';
    await app.api.remotes.add({
      spec: remoteSpecSchema.parse({
        name: 'cimd',
        url: `${origin}/mcp`,
        auth: { type: 'oauth', clientMetadataUrl: document },
      }),
    });
    const { authorizationUrl } = await app.api.remotes.signIn({ name: 'cimd' });
    const url = new URL(authorizationUrl);
    expect(url.origin + url.pathname).toBe(`${origin}/authorize`);
    expect(url.searchParams.get('client_id')).toBe(document);
    expect(url.searchParams.get('redirect_uri')).toBe(`${app.httpOrigin}${REMOTE_CALLBACK_PATH}`);
    expect(asked.some((a) => a.includes('/register'))).toBe(false);
    expect(() =>
      remoteSpecSchema.parse({
        name: 'x',
        url: origin,
        auth: { type: 'oauth', clientMetadataUrl: 'http://a.example/c.json' },
      }),
    ).toThrow(/https/);
  });
});

describe('refreshAhead', () => {
  it('refreshes a minute ahead, or a quarter of a short life ahead', () => {
    expect(refreshAhead(0, 3_600_000)).toBe(60_000);
    expect(refreshAhead(0, 60_000)).toBe(15_000);
    expect(refreshAhead(undefined, 10_000)).toBe(60_000);
  });
});
