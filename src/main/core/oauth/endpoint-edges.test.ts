import { once } from 'node:events';
import { connect } from 'node:net';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHeadlessCore } from '../../../../test-support/headless-core';
import type { Core } from '../create-core';

// Edges of the token, introspection, revocation and registration endpoints: malformed client
// credentials, oversized bodies on a kept-alive connection, and whose tokens a client may inspect.
let core: Core;
let base: string;
let alice: { client_id: string; client_secret: string };
let bob: { client_id: string; client_secret: string };

beforeAll(async () => {
  core = await startHeadlessCore();
  base = core.httpOrigin;
  alice = await core.oauthClients.create({ name: 'alice', grant: 'client_credentials', scope: 'mcp.access' });
  bob = await core.oauthClients.create({ name: 'bob', grant: 'client_credentials', scope: 'mcp.access' });
});
afterAll(() => core.close());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function tokenOf(client: { client_id: string; client_secret: string }): Promise<string> {
  const response = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(client.client_id, client.client_secret),
    },
    body: 'grant_type=client_credentials',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

// One raw connection: what a client that keeps connections alive does with the reply to an
// oversized request decides whether its next request on the same connection is answered.
async function oversizedThenNext(
  path: string,
  type: string,
  body: string,
  declared = Buffer.byteLength(body),
) {
  const { port } = new URL(base);
  const socket = connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  const ended = new Promise<string>((resolve) => {
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    socket.on('close', () => resolve('closed'));
  });
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: ${type}\r\n` +
      `Content-Length: ${declared}\r\n\r\n${body}`,
  );
  await vi.waitFor(() => expect(received).toMatch(/\r\n0\r\n\r\n$|\}$/), { timeout: 5000 });
  const first = received;
  // Sent only if the server said the connection stays open.
  const keptAlive = !/^connection: close$/im.test(first);
  if (keptAlive)
    socket.write(`POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 0\r\n\r\n`);
  const outcome = await Promise.race([
    ended,
    vi
      .waitFor(
        () => {
          if (received.slice(first.length).startsWith('HTTP/1.1 ')) return 'answered';
          throw new Error('no answer yet');
        },
        { timeout: 5000 },
      )
      .catch(() => 'no answer'),
  ]);
  socket.destroy();
  return { status: Number(first.slice(9, 12)), keptAlive, outcome, first };
}

describe('malformed Basic credentials', () => {
  it.each(['/oauth2/revoke', '/oauth2/introspect', '/oauth2/token'])(
    '%s answers a malformed percent-escape with 400 invalid_request, not 500',
    async (path) => {
      const token = await tokenOf(alice);
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from('alice:%E0%A4%A').toString('base64')}`,
        },
        body: new URLSearchParams({ token, grant_type: 'client_credentials' }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: 'invalid_request',
        error_description: expect.stringMatching(/encoded/),
      });
    },
  );
});

describe('oversized bodies', () => {
  it.each([
    [
      '/oauth2/token',
      'application/x-www-form-urlencoded',
      `grant_type=client_credentials&x=${'a'.repeat(200_000)}`,
    ],
    [
      '/oauth2/register',
      'application/json',
      JSON.stringify({ redirect_uris: ['http://127.0.0.1:1/cb'], x: 'a'.repeat(200_000) }),
    ],
  ])('%s answers 413 and closes the connection rather than leave it unusable', async (path, type, body) => {
    const result = await oversizedThenNext(path, type, body);
    expect(result.status).toBe(413);
    expect(result.first).toContain('too large');
    // Either the connection stays usable, or the server says it closes and closes it.
    if (result.keptAlive) expect(result.outcome).toBe('answered');
    else expect(result.outcome).toBe('closed');
  });

  it('closes the connection after a 413 for a body too large even to read past', async () => {
    const result = await oversizedThenNext(
      '/oauth2/token',
      'application/x-www-form-urlencoded',
      'grant_type=client_credentials&x=aaaa',
      50_000_000,
    );
    expect(result).toMatchObject({ status: 413, keptAlive: false, outcome: 'closed' });
  });

  it('a client with a connection pool gets its next request answered after a 413', async () => {
    const big = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&x=${'a'.repeat(200_000)}`,
    });
    expect(big.status).toBe(413);
    expect((await tokenOf(alice)).split('.')).toHaveLength(3);
  });
});

describe('introspection', () => {
  const configFor = (client: { client_id: string; client_secret: string }) =>
    oidc.discovery(new URL(base), client.client_id, undefined, oidc.ClientSecretPost(client.client_secret), {
      execute: [oidc.allowInsecureRequests],
    });

  it('tells a confidential client about its own tokens only', async () => {
    const token = await tokenOf(alice);
    expect(await oidc.tokenIntrospection(await configFor(alice), token)).toMatchObject({
      active: true,
      client_id: 'alice',
    });
    expect(await oidc.tokenIntrospection(await configFor(bob), token)).toEqual({ active: false });
  });
});

describe('cross-origin requests to the client endpoints', () => {
  const APP = 'https://app.example.com';
  const preflight = (path: string, origin: string) =>
    fetch(`${base}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
  const formPost = (path: string, origin: string, form: Record<string, string>) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });

  it.each(['/oauth2/token', '/oauth2/introspect', '/oauth2/revoke'])(
    '%s refuses an origin no browser-based client redirects to',
    async (path) => {
      const pre = await preflight(path, 'https://evil.example');
      expect(pre.status).toBe(403);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      const post = await formPost(path, 'https://evil.example', {
        grant_type: 'client_credentials',
        client_id: 'nobody',
        client_secret: 'x',
        token: 'a.b.c',
      });
      expect(post.status).toBe(403);
      expect(post.headers.get('access-control-allow-origin')).toBeNull();
    },
  );

  it('lets a browser-based client call from its redirect URI’s origin, and no one else from there', async () => {
    const registered = await fetch(`${base}/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [`${APP}/callback`], client_name: 'Browser app' }),
    });
    const { client_id } = (await registered.json()) as { client_id: string };
    const pre = await preflight('/oauth2/token', APP);
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(APP);
    expect(pre.headers.get('access-control-allow-methods')).toBe('POST');
    // It sends a form, no Authorization header of its own.
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type');
    const own = await formPost('/oauth2/token', APP, {
      grant_type: 'refresh_token',
      client_id,
      refresh_token: 'not-a-real-one',
    });
    expect(own.status).toBe(400);
    expect(own.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await own.json()).toMatchObject({ error: 'invalid_grant' });
    // A confidential client is never called from a browser, even from that origin: refused
    // before its secret is looked at.
    const confidential = await formPost('/oauth2/token', APP, {
      grant_type: 'client_credentials',
      client_id: alice.client_id,
      client_secret: alice.client_secret,
    });
    expect(confidential.status).toBe(403);
    expect(confidential.headers.get('access-control-allow-origin')).toBeNull();
    // The browser-based client revokes its own (JWT) token from there, and may read the answer.
    const revoked = await formPost('/oauth2/revoke', APP, { client_id, token: 'a.b.c' });
    expect(revoked.status).toBe(200);
    expect(revoked.headers.get('access-control-allow-origin')).toBe(APP);
  });
});
