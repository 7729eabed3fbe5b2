import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, importJWK, type JWK } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEngine } from '../../../../test-support/fake-engine';
import { createCore, type Core } from '../create-core';
import { fileKeyProvider } from '../secrets/key-provider';
import { openSecretStore } from '../secrets/secret-store';
import { hashClientSecret, verifyClientSecret } from './client-secret-hash';
import { loadOrCreateSigningKey } from './signing-key';

// A real HTTP server on 127.0.0.1, spoken to by code we did not write (openid-client) and by plain
// fetch requests shaped like the guide's curl commands.
let core: Core;
let dataDir: string;
let base: string;
let secret: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-oauth-'));
  core = await createCore({
    mode: 'headless',
    dataDir,
    http: { port: 0 },
    dockerHost: 'unix:///fake.sock',
    engine: { connect: fakeEngine().connect },
  });
  base = core.httpOrigin;
  ({ client_secret: secret } = await core.oauthClients.create({
    name: 'mcp-client',
    grant: 'client_credentials',
    scope: 'mcp.access',
  }));
});
afterAll(() => core.close());

async function tokenRequest(params: Record<string, string>) {
  const response = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function hello(headers: Record<string, string> = {}, query = '') {
  const response = await fetch(`${base}/hello${query}`, { headers });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    challenge: response.headers.get('www-authenticate'),
  };
}

async function signedWithOurKey(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const jwk = (await loadOrCreateSigningKey(await openSecretStore(dataDir, fileKeyProvider(dataDir)))) as JWK;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: 'mcp.access', client_id: 'mcp-client', jti: `t-${Math.random()}`, ...claims })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: jwk.kid, ...header })
    .setIssuer(String(claims.iss ?? base))
    .setAudience(String(claims.aud ?? `${base}/mcp`))
    .setSubject('mcp-client')
    .setIssuedAt(now)
    .setExpirationTime(Number(claims.exp ?? now + 600))
    .sign(await importJWK(jwk, 'ES256'));
}

describe('discovery', () => {
  it.each(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'])(
    '%s names the issuer exactly and the guide’s paths',
    async (path) => {
      const meta = (await (await fetch(`${base}${path}`)).json()) as Record<string, unknown>;
      expect(meta.issuer).toBe(base);
      expect(String(meta.issuer).endsWith('/')).toBe(false);
      expect(meta).toMatchObject({
        token_endpoint: `${base}/oauth2/token`,
        jwks_uri: `${base}/oauth2/jwks`,
        introspection_endpoint: `${base}/oauth2/introspect`,
        revocation_endpoint: `${base}/oauth2/revoke`,
        code_challenge_methods_supported: ['S256'],
        scopes_supported: expect.arrayContaining(['mcp.access', 'offline_access']),
      });
    },
  );

  it('keeps URLs on the issuer even when asked through another loopback name', async () => {
    const port = new URL(base).port;
    const meta = (await (
      await fetch(`http://localhost:${port}/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    expect(meta.token_endpoint).toBe(`${base}/oauth2/token`);
  });

  it.each([
    ['/.well-known/oauth-protected-resource', ''],
    ['/.well-known/oauth-protected-resource/mcp', '/mcp'],
  ])('%s describes the resource at its exact URL', async (path, suffix) => {
    const meta = (await (await fetch(`${base}${path}`)).json()) as Record<string, unknown>;
    expect(meta).toMatchObject({
      resource: `${base}${suffix}`,
      authorization_servers: [base],
      bearer_methods_supported: ['header'],
    });
  });
});

describe('client_credentials (the guide’s flow)', () => {
  it('works with openid-client, and the token is an RFC 9068 JWT for the default resource', async () => {
    const config = await oidc.discovery(
      new URL(base),
      'mcp-client',
      undefined,
      oidc.ClientSecretPost(secret),
      { execute: [oidc.allowInsecureRequests] },
    );
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'mcp.access' });
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 1800, scope: 'mcp.access' });
    const [header, payload] = tokens.access_token
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
    expect(payload).toMatchObject({
      iss: base,
      sub: 'mcp-client',
      aud: `${base}/mcp`,
      client_id: 'mcp-client',
      scope: 'mcp.access',
      jti: expect.any(String),
    });
    expect(Number(payload!.exp) - Number(payload!.iat)).toBe(1800);
  });

  it('the guide’s curl commands: token request, then GET /hello with the bearer token', async () => {
    const { status, body } = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'mcp-client',
      client_secret: secret,
      scope: 'mcp.access',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 1800, scope: 'mcp.access' });
    const reply = await hello({ authorization: `Bearer ${String(body.access_token)}` });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      message: expect.any(String),
      authenticated_client: 'mcp-client',
      timestamp: expect.any(String),
    });
  });

  it('grants mcp.access when the request names no scope', async () => {
    const { body } = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'mcp-client',
      client_secret: secret,
    });
    expect(body.scope).toBe('mcp.access');
  });

  it('issues for an explicit resource indicator, and refuses a foreign one', async () => {
    const ok = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'mcp-client',
      client_secret: secret,
      resource: `${base}/mcp`,
    });
    expect(ok.status).toBe(200);
    const foreign = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'mcp-client',
      client_secret: secret,
      resource: 'https://elsewhere.example/api',
    });
    expect(foreign).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
  });

  it.each([
    [{ client_secret: 'wrong-secret' }, 401, 'invalid_client'],
    [{ client_id: 'nobody' }, 401, 'invalid_client'],
    [{ scope: 'admin' }, 400, 'invalid_scope'],
    [{ grant_type: 'password' }, 400, 'unsupported_grant_type'],
  ])('refuses %j with %i %s', async (override, status, error) => {
    const result = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'mcp-client',
      client_secret: secret,
      scope: 'mcp.access',
      ...override,
    });
    expect(result).toMatchObject({ status, body: { error } });
  });

  it('refuses JSON bodies and oversized bodies at the token endpoint', async () => {
    const json = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(400);
    const big = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&x=${'a'.repeat(70_000)}`,
    });
    expect(big.status).toBe(413);
  });
});

describe('bearer checks on /hello', () => {
  it('asks for a token with WWW-Authenticate naming the resource metadata and scope', async () => {
    const reply = await hello();
    expect(reply.status).toBe(401);
    expect(reply.challenge).toBe(
      `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource", scope="mcp.access"`,
    );
  });

  it('refuses a token in the query string', async () => {
    const token = await signedWithOurKey({});
    const reply = await hello({}, `?access_token=${token}`);
    expect(reply).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('accepts a well-formed token of ours', async () => {
    expect((await hello({ authorization: `Bearer ${await signedWithOurKey({})}` })).status).toBe(200);
  });

  it.each([
    [
      'a wrong audience',
      () => signedWithOurKey({ aud: 'https://other.example/mcp' }),
      /not for this resource/,
    ],
    [
      'a wrong issuer',
      () => signedWithOurKey({ iss: 'https://evil.example' }),
      /not for this resource or issuer/,
    ],
    ['an expired token', () => signedWithOurKey({ exp: Math.floor(Date.now() / 1000) - 10 }), /expired/],
    [
      'alg none',
      async () =>
        `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${(await signedWithOurKey({})).split('.')[1]}.`,
      /./,
    ],
    [
      'a tampered signature',
      async () => {
        const [h, p, s] = (await signedWithOurKey({})).split('.');
        return `${h}.${p}.${s!.slice(0, -4)}AAAA`;
      },
      /signature is invalid|malformed/,
    ],
    [
      'tampered claims',
      async () => {
        const [h, , s] = (await signedWithOurKey({})).split('.');
        const forged = Buffer.from(
          JSON.stringify({
            sub: 'admin',
            scope: 'mcp.access',
            iss: base,
            aud: `${base}/mcp`,
            exp: 9999999999,
            iat: 1,
            jti: 'x',
          }),
        ).toString('base64url');
        return `${h}.${forged}.${s}`;
      },
      /signature is invalid/,
    ],
    ['a wrong typ', () => signedWithOurKey({}, { typ: 'JWT' }), /./],
    ['garbage', async () => 'not.a.jwt', /malformed/],
  ])('refuses %s with 401 invalid_token', async (_label, make, description) => {
    const reply = await hello({ authorization: `Bearer ${await make()}` });
    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({
      error: 'invalid_token',
      error_description: expect.stringMatching(description),
    });
    expect(reply.challenge).toContain('error="invalid_token"');
  });

  it('answers a token without mcp.access with 403 insufficient_scope', async () => {
    const reply = await hello({
      authorization: `Bearer ${await signedWithOurKey({ scope: 'offline_access' })}`,
    });
    expect(reply).toMatchObject({ status: 403, body: { error: 'insufficient_scope' } });
    expect(reply.challenge).toContain('error="insufficient_scope"');
  });

  it('refuses tokens of a revoked client', async () => {
    const other = await core.oauthClients.create({
      name: 'short-lived',
      grant: 'client_credentials',
      scope: 'mcp.access',
    });
    const { body } = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: other.client_id,
      client_secret: other.client_secret,
    });
    const bearer = { authorization: `Bearer ${String(body.access_token)}` };
    expect((await hello(bearer)).status).toBe(200);
    await core.oauthClients.revoke('short-lived');
    expect(await hello(bearer)).toMatchObject({
      status: 401,
      body: { error: 'invalid_token', error_description: expect.stringContaining('revoked') },
    });
    expect(
      (
        await tokenRequest({
          grant_type: 'client_credentials',
          client_id: other.client_id,
          client_secret: other.client_secret,
        })
      ).status,
    ).toBe(401);
  });
});

describe('introspection and revocation of JWT access tokens', () => {
  const peer = async (id: string, clientSecret: string) =>
    oidc.discovery(new URL(base), id, undefined, oidc.ClientSecretPost(clientSecret), {
      execute: [oidc.allowInsecureRequests],
    });

  it('introspects a token it issued, revokes it, and then refuses it everywhere', async () => {
    const config = await peer('mcp-client', secret);
    const { access_token } = await oidc.clientCredentialsGrant(config, { scope: 'mcp.access' });
    const active = await oidc.tokenIntrospection(config, access_token);
    expect(active).toMatchObject({
      active: true,
      client_id: 'mcp-client',
      scope: 'mcp.access',
      aud: `${base}/mcp`,
      iss: base,
      token_type: 'Bearer',
    });

    await oidc.tokenRevocation(config, access_token);
    expect(await oidc.tokenIntrospection(config, access_token)).toEqual({ active: false });
    expect(await hello({ authorization: `Bearer ${access_token}` })).toMatchObject({
      status: 401,
      body: { error_description: 'the token has been revoked' },
    });
  });

  it('lets a client revoke only its own tokens', async () => {
    const other = await core.oauthClients.create({
      name: 'bystander',
      grant: 'client_credentials',
      scope: 'mcp.access',
    });
    const mine = await peer('mcp-client', secret);
    const { access_token } = await oidc.clientCredentialsGrant(mine, { scope: 'mcp.access' });
    await oidc.tokenRevocation(await peer('bystander', other.client_secret), access_token);
    expect(await oidc.tokenIntrospection(mine, access_token)).toMatchObject({ active: true });
  });

  it('answers inactive for tokens it did not issue, and refuses callers without valid credentials', async () => {
    const config = await peer('mcp-client', secret);
    expect(await oidc.tokenIntrospection(config, await signedWithOurKey({}))).toEqual({ active: false });
    expect(await oidc.tokenIntrospection(config, 'not-a-token')).toMatchObject({ active: false });
    const { access_token } = await oidc.clientCredentialsGrant(config, { scope: 'mcp.access' });
    const wrong = await fetch(`${base}/oauth2/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: access_token, client_id: 'mcp-client', client_secret: 'wrong' }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
  });
});

describe('Clients & Tokens operations', () => {
  it('creates a test token that /hello accepts, lists it, inspects it, revokes it', async () => {
    const created = await core.api.oauth.createTestToken({
      clientId: 'mcp-client',
      scope: 'mcp.access',
      audience: `${base}/mcp`,
      ttlSeconds: 600,
    });
    expect((await hello({ authorization: `Bearer ${created.access_token}` })).status).toBe(200);
    const inspection = await core.api.oauth.inspectToken({ token: created.access_token });
    expect(inspection).toMatchObject({
      valid: true,
      header: { alg: 'ES256', typ: 'at+jwt' },
      claims: { client_id: 'mcp-client', aud: `${base}/mcp` },
    });
    const jti = String(inspection.claims.jti);
    expect((await core.api.oauth.tokens()).map((t) => t.jti)).toContain(jti);
    await core.api.oauth.revokeToken({ jti });
    expect(await core.api.oauth.inspectToken({ token: created.access_token })).toMatchObject({
      valid: false,
      reason: 'it has been revoked',
    });
    expect((await hello({ authorization: `Bearer ${created.access_token}` })).status).toBe(401);
    expect((await core.api.oauth.tokens()).map((t) => t.jti)).not.toContain(jti);
  });

  it('says why a token is not valid here', async () => {
    expect(
      await core.api.oauth.inspectToken({
        token: await signedWithOurKey({ exp: Math.floor(Date.now() / 1000) - 5 }),
      }),
    ).toMatchObject({ valid: false, reason: 'it has expired' });
    expect(
      await core.api.oauth.inspectToken({ token: await signedWithOurKey({ aud: 'https://x.example' }) }),
    ).toMatchObject({ valid: false, reason: expect.stringContaining('claim') });
    await expect(core.api.oauth.inspectToken({ token: 'nope' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('refuses test tokens for unknown clients, audiences or scopes', async () => {
    await expect(
      core.api.oauth.createTestToken({
        clientId: 'ghost',
        scope: 'mcp.access',
        audience: `${base}/mcp`,
        ttlSeconds: 600,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      core.api.oauth.createTestToken({
        clientId: 'mcp-client',
        scope: 'mcp.access',
        audience: 'https://other.example',
        ttlSeconds: 600,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      core.api.oauth.createTestToken({
        clientId: 'mcp-client',
        scope: 'root',
        audience: `${base}/mcp`,
        ttlSeconds: 600,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('lists clients with their kind, and tells subscribers when something changed', async () => {
    const changes: string[] = [];
    const stop = core.api.oauth.onChanged(({ at }) => changes.push(at));
    const made = await core.api.oauth.createClient({ name: 'pane-made', scope: 'mcp.access' });
    expect(made.client_secret.length).toBeGreaterThan(30);
    expect(await core.api.oauth.clients()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          client_id: 'pane-made',
          kind: 'confidential',
          grant_types: ['client_credentials'],
        }),
      ]),
    );
    await core.api.oauth.revokeClient({ clientId: 'pane-made' });
    expect((await core.api.oauth.clients()).map((c) => c.client_id)).not.toContain('pane-made');
    stop();
    expect(changes.length).toBeGreaterThanOrEqual(2);
  });
});

describe('secrets at rest', () => {
  it('keeps client secrets only as hashes (HMAC when generated, scrypt when chosen) and the signing key only encrypted', async () => {
    const files = await readdir(dataDir);
    const contents = await Promise.all(files.map((f) => readFile(join(dataDir, f), 'utf8').catch(() => '')));
    const all = contents.join('\n');
    expect(all).not.toContain(secret);
    // A generated secret gets a salted HMAC; one the user chose gets scrypt.
    expect(all).toMatch(/hmac-sha256\$|scrypt\$/);
    const jwk = await loadOrCreateSigningKey(await openSecretStore(dataDir, fileKeyProvider(dataDir)));
    expect(all).not.toContain(String(jwk.d));
  });

  it('verifies hashes in constant time and only the right secret', async () => {
    const hash = await hashClientSecret('s3cret-value');
    expect(await verifyClientSecret(hash, 's3cret-value')).toBe(true);
    expect(await verifyClientSecret(hash, 's3cret-valuE')).toBe(false);
    expect(await verifyClientSecret('plain', 'plain')).toBe(false);
    const generated = await hashClientSecret('A'.repeat(43), { generated: true });
    expect(generated).toMatch(/^hmac-sha256\$/);
    expect(await verifyClientSecret(generated, 'A'.repeat(43))).toBe(true);
    expect(await verifyClientSecret(generated, 'A'.repeat(42))).toBe(false);
    expect(hash).toMatch(/^scrypt\$/);
  });
});

describe('signing keys and token lifetime', () => {
  it('rotates the signing key: new tokens use the new kid, old tokens keep verifying until they expire', async () => {
    const before = await core.api.oauth.signingKeys();
    const old = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'mcp-client',
      client_secret: secret,
    });
    const rotated = await core.api.oauth.rotateSigningKey();
    expect(rotated[0]).toMatchObject({ current: true });
    expect(rotated[0]!.kid).not.toBe(before[0]!.kid);
    expect(rotated.find((k) => k.kid === before[0]!.kid)).toMatchObject({
      current: false,
      retireAt: expect.any(Number),
    });
    const jwks = (await (await fetch(`${base}/oauth2/jwks`)).json()) as {
      keys: Array<{ kid: string; d?: string }>;
    };
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual(rotated.map((k) => k.kid).sort());
    expect(jwks.keys.some((k) => k.d)).toBe(false);
    const fresh = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'mcp-client',
      client_secret: secret,
    });
    const kidOf = (t: unknown) =>
      (JSON.parse(Buffer.from(String(t).split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
    expect(kidOf(fresh.body.access_token)).toBe(rotated[0]!.kid);
    expect((await hello({ authorization: `Bearer ${String(old.body.access_token)}` })).status).toBe(200);
    expect((await hello({ authorization: `Bearer ${String(fresh.body.access_token)}` })).status).toBe(200);
  });

  it('takes the access-token lifetime from settings.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-ttl-'));
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ oauth: { accessTokenTtlSeconds: 600 } }));
    const short = await createCore({
      mode: 'headless',
      dataDir: dir,
      http: { port: 0 },
      dockerHost: 'unix:///fake.sock',
      engine: { connect: fakeEngine().connect },
    });
    try {
      const made = await short.oauthClients.create({
        name: 'ttl-client',
        grant: 'client_credentials',
        scope: 'mcp.access',
      });
      const response = await fetch(`${short.httpOrigin}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: made.client_id,
          client_secret: made.client_secret,
        }),
      });
      expect(await response.json()).toMatchObject({ expires_in: 600 });
    } finally {
      await short.close();
    }
  });
});
