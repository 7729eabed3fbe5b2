import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHeadlessCore } from '../../../../test-support/headless-core';
import type { Core } from '../create-core';
import { createClientAdmin } from './client-admin';
import { openOAuthStore } from './file-adapter';

// Guessing client secrets at the token, introspection and revocation endpoints: failures are
// counted per client id and per source address, and past the limits (settings.json) the answer is
// 429 with Retry-After before any secret is checked. Successes are never counted.
const cores: Core[] = [];
afterAll(() => Promise.all(cores.map((c) => c.close())));

async function coreWith(oauth: Record<string, number>): Promise<Core> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-throttle-'));
  await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ oauth }));
  const core = await startHeadlessCore({ dataDir });
  cores.push(core);
  return core;
}

async function post(core: Core, path: string, form: Record<string, string>) {
  const response = await fetch(`${core.httpOrigin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}

const tokenRequest = (core: Core, clientId: string, secret: string) =>
  post(core, '/oauth2/token', {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: secret,
  });

describe('failed client authentications', () => {
  it('per client: the limit’s worth of wrong secrets get 401, then 429 with Retry-After, the right one too', async () => {
    const core = await coreWith({ failedAuthPerClientPerMinute: 4, failedAuthPerSourcePerMinute: 1000 });
    const { client_id, client_secret } = await core.oauthClients.create({
      name: 'victim',
      grant: 'client_credentials',
      scope: 'mcp.access',
    });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await tokenRequest(core, client_id, `guess-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    const refused = await tokenRequest(core, client_id, `guess-again`);
    expect(refused).toMatchObject({
      status: 429,
      body: {
        error: 'temporarily_unavailable',
        error_description: expect.stringMatching(/too many failed client authentications for client victim/),
      },
    });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(15);
    // While locked, the right secret waits too: otherwise each guess would still be answered.
    expect((await tokenRequest(core, client_id, client_secret)).status).toBe(429);
    // Another client is not affected.
    const bystander = await core.oauthClients.create({
      name: 'bystander',
      grant: 'client_credentials',
      scope: 'mcp.access',
    });
    expect((await tokenRequest(core, bystander.client_id, bystander.client_secret)).status).toBe(200);
  });

  it('counts failures at introspection and revocation against the same client', async () => {
    const core = await coreWith({ failedAuthPerClientPerMinute: 3, failedAuthPerSourcePerMinute: 1000 });
    const { client_id } = await core.oauthClients.create({
      name: 'prober',
      grant: 'client_credentials',
      scope: 'mcp.access',
    });
    const wrong = { token: 'a.b.c', client_id, client_secret: 'nope' };
    expect((await post(core, '/oauth2/introspect', wrong)).status).toBe(401);
    expect((await post(core, '/oauth2/revoke', wrong)).status).toBe(401);
    expect((await post(core, '/oauth2/introspect', { ...wrong, token: 'opaque' })).status).toBe(401);
    expect((await post(core, '/oauth2/revoke', wrong)).status).toBe(429);
    expect((await post(core, '/oauth2/introspect', wrong)).status).toBe(429);
    expect((await tokenRequest(core, client_id, 'nope')).status).toBe(429);
  });

  it('per source: unknown client ids count too, and the answer does not say whether an id exists', async () => {
    const core = await coreWith({ failedAuthPerClientPerMinute: 100, failedAuthPerSourcePerMinute: 5 });
    await core.oauthClients.create({ name: 'real-one', grant: 'client_credentials', scope: 'mcp.access' });
    const known = await tokenRequest(core, 'real-one', 'wrong');
    const unknown = await tokenRequest(core, 'no-such-client', 'wrong');
    expect(known).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(unknown).toEqual({ ...known, retryAfter: null });
    for (let i = 0; i < 3; i++) expect((await tokenRequest(core, `spray-${i}`, 'x')).status).toBe(401);
    expect(await tokenRequest(core, 'spray-4', 'x')).toMatchObject({
      status: 429,
      body: { error_description: expect.stringContaining('this address') },
    });
  });

  it('never counts successes: many right secrets in a row, and the failures left stay left', async () => {
    const core = await coreWith({ failedAuthPerClientPerMinute: 2, failedAuthPerSourcePerMinute: 2 });
    const { client_id, client_secret } = await core.oauthClients.create({
      name: 'busy',
      grant: 'client_credentials',
      scope: 'mcp.access',
    });
    expect((await tokenRequest(core, client_id, 'typo')).status).toBe(401);
    const results = await Promise.all(
      Array.from({ length: 40 }, () => tokenRequest(core, client_id, client_secret)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    expect((await tokenRequest(core, client_id, 'typo')).status).toBe(401);
    expect((await tokenRequest(core, client_id, 'typo')).status).toBe(429);
  });

  it('parallel guesses get no more tries than the limit', async () => {
    const core = await coreWith({ failedAuthPerClientPerMinute: 3, failedAuthPerSourcePerMinute: 1000 });
    const { client_id } = await core.oauthClients.create({
      name: 'rushed',
      grant: 'client_credentials',
      scope: 'mcp.access',
      secret: 'a-secret-the-user-chose',
    });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => tokenRequest(core, client_id, `parallel-${i}`)),
    );
    const count = (status: number) => results.filter((r) => r.status === status).length;
    expect(count(401)).toBe(3);
    expect(count(429)).toBe(27);
  });
});

describe('a client made by another process (the CLI) a moment ago', () => {
  it('is known at once: its first token request succeeds without retries that would count as failures', async () => {
    const core = await coreWith({ failedAuthPerClientPerMinute: 1, failedAuthPerSourcePerMinute: 1000 });
    // What `mcp-dock gateway --stdio` does on first use: its own store on the same data directory.
    const cli = createClientAdmin(await openOAuthStore(core.dataDir));
    const made = await cli.create({ name: 'made-by-cli', grant: 'client_credentials', scope: 'mcp.access' });
    expect((await tokenRequest(core, made.client_id, made.client_secret)).status).toBe(200);
  });
});
