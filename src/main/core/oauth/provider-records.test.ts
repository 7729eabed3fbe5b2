import { EventEmitter } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Provider from 'oidc-provider';
import { describe, expect, it, vi } from 'vitest';
import { openOAuthStore } from './file-adapter';
import { DEFAULT_OAUTH_LIMITS } from './oauth-limits';
import { recordIssuedTokens, recordSelfRegistrations } from './provider-records';
import { ISSUED } from './token-models';

const openStore = async () => openOAuthStore(await mkdtemp(join(tmpdir(), 'mcp-dock-provider-records-')));
const asProvider = (events: EventEmitter) => events as unknown as Pick<Provider, 'on'>;

describe('records of what oidc-provider announces', () => {
  it.each(['access_token.issued', 'client_credentials.issued'])(
    'keeps each JWT access token (%s) by jti until it would expire',
    async (event) => {
      const store = await openStore();
      const events = new EventEmitter();
      recordIssuedTokens(asProvider(events), store);
      const before = Math.floor(Date.now() / 1000);
      events.emit(event, {
        jti: 'j1',
        clientId: 'c',
        grantId: 'g',
        scope: 'mcp.access',
        aud: 'http://127.0.0.1:1/mcp',
        expiration: 600,
      });
      await vi.waitFor(() => expect(store.get(ISSUED, 'j1')).toBeDefined());
      const record = store.get(ISSUED, 'j1')!;
      expect(record).toMatchObject({ jti: 'j1', clientId: 'c', grantId: 'g', scope: 'mcp.access' });
      expect(record.exp).toBeGreaterThanOrEqual(before + 600);
      await store.flush();
    },
  );

  it('keeps nothing for a token without jti or lifetime (opaque tokens)', async () => {
    const store = await openStore();
    const events = new EventEmitter();
    recordIssuedTokens(asProvider(events), store);
    events.emit('access_token.issued', { clientId: 'c', expiration: 600 });
    events.emit('access_token.issued', { jti: 'j2', clientId: 'c' });
    await store.flush();
    expect(store.list(ISSUED)).toEqual([]);
  });

  it('marks a client that registered itself as unused, so it lapses unless granted something', async () => {
    const store = await openStore();
    const events = new EventEmitter();
    recordSelfRegistrations(asProvider(events), store, () => DEFAULT_OAUTH_LIMITS);
    await new store.Adapter('Client').upsert('c', { client_id: 'c', token_endpoint_auth_method: 'none' });
    events.emit('registration_create.success', {}, { clientId: 'c' });
    await vi.waitFor(() =>
      expect(store.registration('c')).toMatchObject({ selfRegistered: true, unused: true }),
    );
    await store.flush();
  });
});
