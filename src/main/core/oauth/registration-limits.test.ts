import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { afterAll, describe, expect, it } from 'vitest';
import { startHeadlessCore } from '../../../../test-support/headless-core';
import { browseUntil, CookieJar } from '../../../../test-support/oauth-browser';
import type { Core } from '../create-core';

// Registration is open to anyone who can reach the port, so it is bounded: a rate per source,
// a number of never-used registrations kept, and a lifetime for those (settings.json).
const cores: Core[] = [];
afterAll(() => Promise.all(cores.map((c) => c.close())));
const REDIRECT = 'http://127.0.0.1:33336/callback';

async function coreWith(oauth: Record<string, number>): Promise<Core> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-registration-'));
  await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ oauth }));
  const core = await startHeadlessCore({ dataDir });
  cores.push(core);
  return core;
}

async function register(core: Core, body: Record<string, unknown> = { redirect_uris: [REDIRECT] }) {
  const response = await fetch(`${core.httpOrigin}/oauth2/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

const selfRegistered = async (core: Core) =>
  (await core.api.oauth.clients()).filter((c) => c.self_registered).map((c) => c.client_id);

// The authorization code flow up to the grant, approved in the app window.
async function grantTo(core: Core, clientId: string) {
  const config = new oidc.Configuration(
    { issuer: core.httpOrigin, authorization_endpoint: `${core.httpOrigin}/oauth2/authorize` },
    clientId,
    undefined,
    oidc.None(),
  );
  oidc.allowInsecureRequests(config);
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'mcp.access',
    code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
  });
  const jar = new CookieJar();
  const waiting = await browseUntil(url.toString(), jar, REDIRECT);
  const pending = core.consents.list().find((c) => c.clientId === clientId)!;
  core.consents.decide(pending.uid, 'allow');
  const back = await browseUntil(waiting.url, jar, REDIRECT);
  expect(back.headers.get('location')).toMatch(/[?&]code=/);
}

describe('self-registration limits', () => {
  it('registrations per source and minute: past the rate, 429 with Retry-After; refused ones do not count', async () => {
    const core = await coreWith({ registrationsPerMinute: 3 });
    expect((await register(core, { redirect_uris: ['javascript:alert(1)'] })).status).toBe(400);
    const accepted = [await register(core), await register(core), await register(core)];
    expect(accepted.map((r) => r.status)).toEqual([201, 201, 201]);
    const refused = await register(core);
    expect(refused).toMatchObject({
      status: 429,
      body: {
        error: 'temporarily_unavailable',
        error_description: expect.stringContaining('too many client registrations'),
      },
    });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(20);
  });

  it('keeps at most maxUnusedRegistrations never-used ones, dropping the oldest; used and internal clients stay', async () => {
    const core = await coreWith({ maxUnusedRegistrations: 3, registrationsPerMinute: 1000 });
    const panelMade = await core.api.oauth.createClient({ name: 'panel-made', scope: 'mcp.access' });
    const gateway = await core.stdioCredential();
    const used = String((await register(core)).body.client_id);
    await grantTo(core, used);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(String((await register(core)).body.client_id));
    expect((await selfRegistered(core)).sort()).toEqual([used, ...ids.slice(-3)].sort());
    const all = await core.api.oauth.clients();
    const byId = (id: string) => all.find((c) => c.client_id === id)!;
    expect(byId(panelMade.client_id)).toMatchObject({ self_registered: false });
    expect(byId(gateway.client_id)).toMatchObject({ self_registered: false });
    expect(byId(panelMade.client_id).expires_at).toBeUndefined();
    expect(byId(gateway.client_id).expires_at).toBeUndefined();
    expect(byId(used).expires_at).toBeUndefined();
    expect(byId(ids[5]!).expires_at).toEqual(expect.any(Number));
    // The first registrations are gone for good: their client_id is unknown now.
    const token = await fetch(`${core.httpOrigin}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: ids[0]!, refresh_token: 'x' }),
    });
    expect(token.status).toBe(401);
  });

  it('tells whether and when a client registered itself (for the consent dialog)', async () => {
    const core = await coreWith({});
    const before = Math.floor(Date.now() / 1000);
    const id = String((await register(core)).body.client_id);
    expect(core.oauthClients.registration(id)).toEqual({
      selfRegistered: true,
      registeredAt: expect.any(Number),
      unused: true,
      expiresAt: expect.any(Number),
    });
    const registration = core.oauthClients.registration(id)!;
    expect(registration.registeredAt).toBeGreaterThanOrEqual(before);
    // The default keeps a never-used registration for an hour.
    expect(registration.expiresAt! - registration.registeredAt!).toBe(3600);
    await grantTo(core, id);
    expect(core.oauthClients.registration(id)).toEqual({
      selfRegistered: true,
      registeredAt: registration.registeredAt,
      unused: false,
    });
    const made = await core.api.oauth.createClient({ name: 'made-here', scope: 'mcp.access' });
    expect(core.oauthClients.registration(made.client_id)).toMatchObject({
      selfRegistered: false,
      unused: false,
    });
    expect(core.oauthClients.registration('no-such-client')).toBeUndefined();
  });

  it('a flood of registrations leaves oauth.json small', async () => {
    const core = await coreWith({ maxUnusedRegistrations: 10, registrationsPerMinute: 10_000 });
    for (let i = 0; i < 200; i++) expect((await register(core)).status).toBe(201);
    await core.close();
    const file = JSON.parse(await readFile(join(core.dataDir, 'oauth.json'), 'utf8')) as {
      models: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(file.models.Client ?? {})).toHaveLength(10);
    // No registration access tokens: nothing reads them here, and each was kept forever.
    expect(Object.keys(file.models.RegistrationAccessToken ?? {})).toHaveLength(0);
  });
});
