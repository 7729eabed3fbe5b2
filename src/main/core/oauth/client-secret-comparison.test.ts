import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { describe, expect, it } from 'vitest';
import { compareHashedClientSecrets, runAsAuthenticated } from './client-secret-comparison';
import { hashClientSecret } from './client-secret-hash';
import { openOAuthStore } from './file-adapter';
import { providerConfiguration } from './provider-configuration';

type Compare = (this: { clientSecret?: string; clientId: string }, actual: string) => Promise<boolean>;

// The provider as MCP Dock configures it, so its Client class is the one patched in production.
async function comparison(): Promise<Compare> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const provider = new Provider(
    'http://127.0.0.1:1',
    providerConfiguration({
      signingKeys: [{ ...(await exportJWK(privateKey)), kid: 'k', alg: 'ES256', use: 'sig' }],
      store: await openOAuthStore(await mkdtemp(join(tmpdir(), 'mcp-dock-secret-comparison-'))),
      resources: () => ['http://127.0.0.1:1/mcp'],
    }),
  );
  compareHashedClientSecrets(provider);
  return provider.Client.prototype.compareClientSecret as unknown as Compare;
}

describe("oidc-provider's client secret comparison", () => {
  it('verifies a stored hash against the presented secret', async () => {
    const compare = await comparison();
    const stored = await hashClientSecret('s3cret-enough-to-be-long');
    expect(await compare.call({ clientId: 'c', clientSecret: stored }, 's3cret-enough-to-be-long')).toBe(
      true,
    );
    expect(await compare.call({ clientId: 'c', clientSecret: stored }, 'wrong')).toBe(false);
  });

  it('compares a secret stored as it was (before hashing) as oidc-provider does', async () => {
    const compare = await comparison();
    expect(await compare.call({ clientId: 'c', clientSecret: 'plain' }, 'plain')).toBe(true);
    expect(await compare.call({ clientId: 'c', clientSecret: 'plain' }, 'other')).toBe(false);
  });

  it('takes the authentication MCP Dock already did for the same client and secret', async () => {
    const compare = await comparison();
    const stored = await hashClientSecret('the-real-secret-is-something-else');
    const self = { clientId: 'c', clientSecret: stored };
    expect(
      await runAsAuthenticated({ clientId: 'c', confidential: true, secret: 'presented' }, () =>
        compare.call(self, 'presented'),
      ),
    ).toBe(true);
    // Another client, another secret, or a public caller: the hash decides.
    for (const caller of [
      { clientId: 'd', confidential: true, secret: 'presented' },
      { clientId: 'c', confidential: true, secret: 'else' },
      { clientId: 'c', confidential: false, secret: 'presented' },
    ])
      expect(await runAsAuthenticated(caller, () => compare.call(self, 'presented'))).toBe(false);
  });
});
