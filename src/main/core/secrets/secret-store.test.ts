import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileKeyProvider } from './key-provider';
import { openSecretStore } from './secret-store';

describe('secret store', () => {
  it('keeps every one of many changes made at once, in memory and on disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-secrets-'));
    const store = await openSecretStore(dir, fileKeyProvider(dir));
    await Promise.all(Array.from({ length: 8 }, (_, i) => store.set(`server-${i}`, 'oauth.tokens', `t${i}`)));
    await Promise.all([store.set('server-0', 'KEY', 'k'), store.remove('server-1')]);
    const reopened = await openSecretStore(dir, fileKeyProvider(dir));
    for (const s of [store, reopened]) {
      for (let i = 2; i < 8; i++)
        expect(await s.values(`server-${i}`, ['oauth.tokens'])).toEqual({ 'oauth.tokens': `t${i}` });
      expect(await s.values('server-0', ['oauth.tokens', 'KEY'])).toEqual({ 'oauth.tokens': 't0', KEY: 'k' });
      expect(s.names('server-1')).toEqual([]);
    }
  });
});
