import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHeadlessCore } from '../../../../test-support/headless-core';
import { serverSpecSchema } from '../../../shared/servers';
import { createClientAdmin } from '../oauth/client-admin';
import { openOAuthStore } from '../oauth/file-adapter';
import { fileKeyProvider } from '../secrets/key-provider';
import { openSecretStore } from '../secrets/secret-store';
import { readStdioToken, saveStdioToken, STDIO_CLIENT_ID, stdioCredential } from './stdio-credential';

const NOW = Date.UTC(2026, 10, 1, 12, 0, 0);
const url = 'http://127.0.0.1:8081/mcp';
const token = { access_token: 'at-1', token_type: 'Bearer', expires_in: 1800, scope: 'mcp.access' };

async function stores() {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-stdio-'));
  return {
    secrets: await openSecretStore(dir, fileKeyProvider(dir)),
    clients: createClientAdmin(await openOAuthStore(dir)),
  };
}

describe('the gateway --stdio token cache', () => {
  it('hands back a kept token with the time it has left, for the same client and URL only', async () => {
    const { secrets } = await stores();
    const key = { clientId: STDIO_CLIENT_ID, url };
    expect(await readStdioToken(secrets, key, NOW)).toBeUndefined();
    await saveStdioToken(secrets, key, token, NOW);
    expect(await readStdioToken(secrets, key, NOW + 600_000)).toEqual({ ...token, expires_in: 1200 });
    expect(await readStdioToken(secrets, { ...key, url: 'http://127.0.0.1:9000/mcp' }, NOW)).toBeUndefined();
    expect(await readStdioToken(secrets, { ...key, clientId: 'other' }, NOW)).toBeUndefined();
    // Under a minute left is not worth starting a session on.
    expect(await readStdioToken(secrets, key, NOW + 1_741_000)).toBeUndefined();
  });

  it('keeps nothing it could not judge: a token without a lifetime', async () => {
    const { secrets } = await stores();
    const key = { clientId: STDIO_CLIENT_ID, url };
    await saveStdioToken(secrets, key, { access_token: 'at', token_type: 'Bearer' }, NOW);
    expect(await readStdioToken(secrets, key, NOW)).toBeUndefined();
  });

  it('forgets the token of a credential that had to be made again', async () => {
    const { secrets, clients } = await stores();
    const first = await stdioCredential(secrets, clients);
    const key = { clientId: first.client_id, url };
    await saveStdioToken(secrets, key, token);
    expect(await readStdioToken(secrets, key)).toBeDefined();
    await clients.revoke(first.client_id);
    const second = await stdioCredential(secrets, clients);
    expect(second.client_secret).not.toBe(first.client_secret);
    expect(await readStdioToken(secrets, key)).toBeUndefined();
  });

  it('takes over a credential kept where earlier versions kept it, leaving nothing behind there', async () => {
    const { secrets, clients } = await stores();
    const created = await clients.create({
      name: STDIO_CLIENT_ID,
      grant: 'client_credentials',
      scope: 'mcp.access',
    });
    await secrets.set('gateway', 'stdio-client', JSON.stringify(created));
    await secrets.set('gateway', 'API_KEY', 'a server secret of a server called gateway');
    expect(await stdioCredential(secrets, clients)).toEqual(created);
    expect(secrets.names('gateway')).toEqual(['API_KEY']);
    expect(await stdioCredential(secrets, clients)).toEqual(created);
  });

  it('survives a server of the user’s that is named "gateway"', async () => {
    const core = await startHeadlessCore();
    try {
      const before = await core.stdioCredential();
      const spec = { name: 'gateway', image: 'example/api-gateway:1', command: ['serve'] };
      await core.api.servers.add({ spec: serverSpecSchema.parse(spec) });
      // Saving the server drops the secrets it does not declare.
      await core.api.servers.update({
        name: 'gateway',
        spec: serverSpecSchema.parse({ ...spec, description: 'x' }),
      });
      expect(await core.stdioCredential()).toEqual(before);
    } finally {
      await core.close();
    }
  });
});
