import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeadlessCore } from '../../../../test-support/headless-core';
import { browseUntil, CookieJar } from '../../../../test-support/oauth-browser';
import type { Core } from '../create-core';
import { fetchClientMetadata, isPublicAddress, metadataToClient } from './client-metadata-document';

const run = promisify(execFile);
const HOST = 'client.example';
const REDIRECT = 'http://127.0.0.1:34567/cb';

// A real https server standing in for the client's website, with a certificate for client.example
// made here; the test maps that name to 127.0.0.1 (which the production rules refuse).
let server: Server;
let ca: Buffer;
let port: number;
const documents = new Map<string, { status?: number; body: string; headers?: Record<string, string> }>();

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-cimd-'));
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
    '-subj',
    `/CN=${HOST}`,
    '-addext',
    `subjectAltName=DNS:${HOST}`,
  ]);
  ca = await readFile(join(dir, 'cert.pem'));
  const key = await readFile(join(dir, 'key.pem'));
  // The key is read; the throwaway folder (a private key among it) must not outlive the test.
  await rm(dir, { recursive: true, force: true });
  server = createServer({ key, cert: ca }, (req, res) => {
    const doc = documents.get(req.url ?? '');
    res.writeHead(doc?.status ?? (doc ? 200 : 404), { 'content-type': 'application/json', ...doc?.headers });
    res.end(doc?.body ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => server.close());

const local = () => ({
  ca,
  lookup: async () => [{ address: '127.0.0.1', family: 4 }],
  isAllowedAddress: () => true,
});
const urlOf = (path: string) => `https://${HOST}:${port}${path}`;

describe('SSRF rules for client metadata documents', () => {
  it.each([
    ['8.8.8.8', true],
    ['93.184.216.34', true],
    ['2606:4700::1111', true],
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.20.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:8.8.8.8', true],
    ['not-an-ip', false],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  // Every IPv6 form that carries an IPv4 address is judged as that IPv4 address, however it is
  // written (the URL parser rewrites [::ffff:127.0.0.1] as [::ffff:7f00:1]); what is left of IPv6
  // must be global unicast outside the special-purpose blocks.
  it.each([
    // IPv4-mapped, dotted and hex, short and long
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::FFFF:7F00:0001', false],
    ['0:0:0:0:0:ffff:7f00:1', false],
    ['::ffff:a9fe:a9fe', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:808:808', true],
    // IPv4-compatible (deprecated), dotted and hex
    ['::127.0.0.1', false],
    ['::7f00:1', false],
    ['::a9fe:a9fe', false],
    ['::c0a8:101', false],
    ['::', false],
    ['::808:808', true],
    // SIIT (IPv4-translated)
    ['::ffff:0:127.0.0.1', false],
    ['::ffff:0:7f00:1', false],
    ['::ffff:0:a00:1', false],
    ['::ffff:0:808:808', true],
    // NAT64, well-known prefix and local-use
    ['64:ff9b::127.0.0.1', false],
    ['64:ff9b::7f00:1', false],
    ['64:ff9b::a9fe:a9fe', false],
    ['64:ff9b::808:808', true],
    ['64:ff9b:1::808:808', false],
    // 6to4
    ['2002:7f00:1::1', false],
    ['2002:a00:1::', false],
    ['2002:c0a8:101:1::1', false],
    ['2002:808:808::1', true],
    // Teredo and the rest of the IETF protocol block, documentation, and non-global space
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', false],
    ['2001:2::1', false],
    ['2001:db8::1', false],
    ['3fff::1', false],
    ['100::1', false],
    ['fec0::1', false],
    ['fe80::1%eth0', false],
    ['4000::1', false],
    ['2a00:1450:4001:80b::200e', true],
  ])('IPv6 %s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('refuses, before any connection, URLs whose IPv6 literal carries a private IPv4 address', async () => {
    for (const host of ['[::7f00:1]', '[::ffff:0:7f00:1]', '[::ffff:127.0.0.1]', '[64:ff9b::a9fe:a9fe]'])
      await expect(fetchClientMetadata(`https://${host}/c.json`)).rejects.toThrow(
        /which is not a public address/,
      );
    // Names resolving to such forms are refused the same way.
    await expect(
      fetchClientMetadata('https://mapped.example/c.json', {
        lookup: async () => [{ address: '::ffff:0:a9fe:a9fe', family: 6 }],
      }),
    ).rejects.toThrow(/::ffff:0:a9fe:a9fe, which is not a public address/);
  });

  it('refuses http, missing paths, and names that resolve to private addresses (cloud metadata included)', async () => {
    await expect(fetchClientMetadata('http://example.com/c.json')).rejects.toThrow(/https/);
    await expect(fetchClientMetadata('https://example.com/')).rejects.toThrow(/path/);
    await expect(fetchClientMetadata('https://127.0.0.1/c.json')).rejects.toThrow(/not a public address/);
    await expect(
      fetchClientMetadata('https://metadata.internal/c.json', {
        lookup: async () => [{ address: '169.254.169.254', family: 4 }],
      }),
    ).rejects.toThrow(/169\.254\.169\.254, which is not a public address/);
    // One private answer among public ones is enough to refuse (no picking the "good" one).
    await expect(
      fetchClientMetadata('https://mixed.example/c.json', {
        lookup: async () => [
          { address: '8.8.8.8', family: 4 },
          { address: '10.0.0.1', family: 4 },
        ],
      }),
    ).rejects.toThrow(/10\.0\.0\.1/);
  });

  it('does not follow redirects, and refuses oversized or non-JSON documents', async () => {
    documents.set('/redirect.json', {
      status: 302,
      body: '',
      headers: { location: 'https://169.254.169.254/' },
    });
    documents.set('/big.json', { body: JSON.stringify({ pad: 'x'.repeat(70_000) }) });
    documents.set('/html.json', { body: '<html></html>' });
    await expect(fetchClientMetadata(urlOf('/redirect.json'), local())).rejects.toThrow(
      /redirects are not followed/,
    );
    await expect(fetchClientMetadata(urlOf('/big.json'), local())).rejects.toThrow(/larger than/);
    await expect(fetchClientMetadata(urlOf('/html.json'), local())).rejects.toThrow(/not a JSON object/);
    await expect(fetchClientMetadata(urlOf('/missing.json'), local())).rejects.toThrow(/HTTP 404/);
  });

  it('fails every way with CLIENT_METADATA_INVALID, a failed lookup or connection keeping its own reason', async () => {
    const refused = { code: 'CLIENT_METADATA_INVALID', name: 'ClientMetadataError' };
    await expect(fetchClientMetadata('http://example.com/c.json')).rejects.toMatchObject(refused);
    await expect(fetchClientMetadata(urlOf('/missing.json'), local())).rejects.toMatchObject({
      ...refused,
      message: 'the client metadata document answered HTTP 404',
    });
    const lookupFailed = Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example'), {
      code: 'ENOTFOUND',
    });
    await expect(
      fetchClientMetadata('https://nowhere.example/c.json', {
        lookup: () => Promise.reject(lookupFailed),
      }),
    ).rejects.toMatchObject({ ...refused, message: lookupFailed.message, cause: lookupFailed });
    // Nothing listens on port 1: the connection is refused, and the error says so.
    await expect(fetchClientMetadata(`https://${HOST}:1/c.json`, local())).rejects.toMatchObject({
      ...refused,
      message: /ECONNREFUSED/,
    });
    expect(() => metadataToClient('https://app.example/c.json', {})).toThrow(
      expect.objectContaining(refused),
    );
  });

  it('applies the registration rules to the document', () => {
    const url = 'https://app.example/client.json';
    expect(() =>
      metadataToClient(url, { client_id: 'https://other.example/c.json', redirect_uris: [REDIRECT] }),
    ).toThrow(/not the URL/);
    expect(() => metadataToClient(url, { client_id: url, redirect_uris: ['myapp://cb'] })).toThrow(/scheme/);
    expect(() =>
      metadataToClient(url, {
        client_id: url,
        redirect_uris: [REDIRECT],
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    ).toThrow(/public/);
    expect(
      metadataToClient(url, { client_id: url, client_name: 'App', redirect_uris: [REDIRECT] }),
    ).toMatchObject({ client_id: url, token_endpoint_auth_method: 'none' });
  });

  it('registers the scopes the document names, like dynamic registration, and the defaults otherwise', () => {
    const url = 'https://app.example/client.json';
    expect(
      metadataToClient(url, { client_id: url, redirect_uris: [REDIRECT], scope: 'mcp.access mcp:servers' }),
    ).toMatchObject({ scope: 'mcp.access mcp:servers' });
    expect(metadataToClient(url, { client_id: url, redirect_uris: [REDIRECT] })).toMatchObject({
      scope: 'mcp.access offline_access',
    });
    expect(() =>
      metadataToClient(url, { client_id: url, redirect_uris: [REDIRECT], scope: ['mcp.access'] }),
    ).toThrow(/scope/);
  });
});

describe('authorizing a client identified by its metadata document URL', () => {
  let core: Core;
  beforeAll(async () => {
    core = await startHeadlessCore({ clientMetadata: local() });
  });
  afterAll(() => core.close());

  it('advertises support, fetches the document, and runs the code flow with PKCE', async () => {
    const base = core.httpOrigin;
    const meta = (await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    expect(meta.client_id_metadata_document_supported).toBe(true);
    const clientId = urlOf('/oauth/client.json');
    documents.set('/oauth/client.json', {
      body: JSON.stringify({
        client_id: clientId,
        client_name: 'Website MCP client',
        redirect_uris: [REDIRECT],
      }),
    });

    const config = new oidc.Configuration(
      (
        await oidc.discovery(new URL(base), clientId, undefined, oidc.None(), {
          execute: [oidc.allowInsecureRequests],
        })
      ).serverMetadata(),
      clientId,
      undefined,
      oidc.None(),
    );
    oidc.allowInsecureRequests(config);
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 's1',
    });
    const jar = new CookieJar();
    const page = await browseUntil(url.toString(), jar, REDIRECT);
    expect(await page.text()).toContain('Website MCP client');
    const pending = core.consents.list().find((c) => c.clientId === clientId)!;
    core.consents.decide(pending.uid, 'allow');
    const back = await browseUntil(page.url, jar, REDIRECT);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(back.headers.get('location')!), {
      pkceCodeVerifier: verifier,
      expectedState: 's1',
    });
    const claims = JSON.parse(
      Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({ client_id: clientId, aud: `${base}/mcp` });
  });

  it('refuses a URL client whose document breaks the rules', async () => {
    const base = core.httpOrigin;
    const clientId = urlOf('/oauth/bad.json');
    documents.set('/oauth/bad.json', {
      body: JSON.stringify({ client_id: clientId, redirect_uris: ['javascript:alert(1)'] }),
    });
    const authorize = new URL(`${base}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: 'javascript:alert(1)',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    const response = await fetch(authorize, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });
});
