import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ISSUED_TOKENS_FILE, openOAuthStore } from './file-adapter';
import { isActiveJti, isRevokedJti } from './jwt-token-endpoints';
import { ISSUED, REVOKED } from './token-models';

const issued = (jti: string, grantId?: string) => ({
  jti,
  clientId: 'c1',
  scope: 'mcp.access',
  ...(grantId ? { grantId } : {}),
});

describe('OAuth store', () => {
  it('keeps issued-token records in the journal, not in oauth.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-oauth-store-'));
    const store = await openOAuthStore(dir);
    await new store.Adapter('Client').upsert('c1', { client_id: 'c1' });
    await new store.Adapter(ISSUED).upsert('j1', issued('j1'), 600);
    await store.flush();
    const file = JSON.parse(await readFile(join(dir, 'oauth.json'), 'utf8'));
    expect(Object.keys(file.models)).toEqual(['Client']);
    expect(await readFile(join(dir, ISSUED_TOKENS_FILE), 'utf8')).toContain('"j1"');

    const again = await openOAuthStore(dir);
    expect(again.get(ISSUED, 'j1')).toMatchObject({ jti: 'j1' });
    expect(again.list(ISSUED)).toHaveLength(1);
  });

  it('moves records an older oauth.json held into the journal, losing none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-oauth-store-'));
    const expiresAt = Date.now() + 600_000;
    await writeFile(
      join(dir, 'oauth.json'),
      JSON.stringify({
        version: 1,
        models: {
          Client: { c1: { payload: { client_id: 'c1' } } },
          [ISSUED]: { old: { payload: issued('old'), expiresAt } },
        },
      }),
    );
    const store = await openOAuthStore(dir);
    expect(store.get(ISSUED, 'old')).toMatchObject({ jti: 'old' });
    await store.flush();
    const file = JSON.parse(await readFile(join(dir, 'oauth.json'), 'utf8'));
    expect(file.models[ISSUED]).toBeUndefined();
    expect((await openOAuthStore(dir)).get(ISSUED, 'old')).toMatchObject({ jti: 'old' });
  });

  it("revoking a grant drops its tokens' records from the journal too", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-oauth-store-'));
    const store = await openOAuthStore(dir);
    await new store.Adapter('Grant').upsert('g1', { grantId: 'g1' });
    await new store.Adapter(ISSUED).upsert('j1', issued('j1', 'g1'), 600);
    await new store.Adapter(ISSUED).upsert('j2', issued('j2'), 600);
    await new store.Adapter('Grant').revokeByGrantId('g1');
    expect(store.get(ISSUED, 'j1')).toBeUndefined();
    expect(store.get('Grant', 'g1')).toBeUndefined();
    const again = await openOAuthStore(dir);
    expect(again.list(ISSUED).map((t) => t.jti)).toEqual(['j2']);
  });

  it('marks a grant’s tokens revoked until they expire, however many token models end it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-oauth-store-'));
    const store = await openOAuthStore(dir);
    await new store.Adapter('Grant').upsert('g1', { grantId: 'g1' });
    await new store.Adapter(ISSUED).upsert('j1', issued('j1', 'g1'), 600);
    expect(isRevokedJti(store, 'j1')).toBe(false);
    // oidc-provider ends a grant through each token model's adapter at once.
    await Promise.all(
      ['AccessToken', 'RefreshToken', 'AuthorizationCode'].map((m) =>
        new store.Adapter(m).revokeByGrantId('g1'),
      ),
    );
    expect(isRevokedJti(store, 'j1')).toBe(true);
    expect(store.get(REVOKED, 'j1')).toMatchObject({ jti: 'j1', grantId: 'g1' });
    expect(isRevokedJti(await openOAuthStore(dir), 'j1')).toBe(true);
  });

  it('counts a token revoked once its grant is gone, even without a revocation record', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-oauth-store-'));
    const store = await openOAuthStore(dir);
    await new store.Adapter('Grant').upsert('g2', { grantId: 'g2' });
    await new store.Adapter(ISSUED).upsert('j2', issued('j2', 'g2'), 600);
    await new store.Adapter(ISSUED).upsert('j3', issued('j3'), 600);
    await new store.Adapter('Grant').destroy('g2');
    expect(isRevokedJti(store, 'j2')).toBe(true);
    expect(isActiveJti(store, 'j2')).toBe(false);
    // client_credentials tokens have no grant.
    expect(isRevokedJti(store, 'j3')).toBe(false);
  });

  it('lets a never-used self-registered client lapse, and keeps one that was granted something', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-oauth-store-'));
    let t = 1_000_000_000;
    const store = await openOAuthStore(dir, { now: () => t });
    const clients = new store.Adapter('Client');
    for (const id of ['idle', 'busy']) {
      await clients.upsert(id, { client_id: id, token_endpoint_auth_method: 'none' });
      await store.markSelfRegistered(id, { unusedTtlS: 60, maxUnused: 10 });
    }
    await clients.upsert('made-here', {
      client_id: 'made-here',
      token_endpoint_auth_method: 'client_secret_post',
    });
    await new store.Adapter('Grant').upsert('g1', { jti: 'g1', clientId: 'busy', accountId: 'panel-owner' });
    t += 59_000;
    expect(await clients.find('idle')).toBeDefined();
    t += 2_000;
    expect(await clients.find('idle')).toBeUndefined();
    expect(store.registration('idle')).toBeUndefined();
    expect(await clients.find('busy')).toBeDefined();
    expect(store.registration('busy')).toMatchObject({ selfRegistered: true, unused: false });
    expect(store.registration('made-here')).toMatchObject({ selfRegistered: false, unused: false });
    await store.flush();
    const again = await openOAuthStore(dir, { now: () => t });
    expect(
      again
        .list('Client')
        .map((c) => c.client_id)
        .sort(),
    ).toEqual(['busy', 'made-here']);
  });

  it('tells token watchers once per burst of issued tokens', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-oauth-store-'));
    const store = await openOAuthStore(dir);
    let heard = 0;
    store.onChange(() => heard++);
    const burst = (tag: string) =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          new store.Adapter(ISSUED).upsert(`${tag}${i}`, issued(`${tag}${i}`), 600),
        ),
      );
    await burst('a');
    await vi.waitFor(() => expect(heard).toBeGreaterThan(0));
    // A burst told more than once would already have overshot by the time the next one is told.
    await burst('b');
    await vi.waitFor(() => expect(heard).toBeGreaterThan(1));
    expect(heard).toBe(2);
  });
});
