import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSENT_TTL_MS } from './consents';
import { openOAuthStore } from './file-adapter';
import { ACCESS_TOKEN_TTL_S, providerConfiguration } from './provider-configuration';

const configured = async (extra: { accessTokenTtlS?: number; scopes?: string[] } = {}) =>
  providerConfiguration({
    signingKeys: [],
    store: await openOAuthStore(await mkdtemp(join(tmpdir(), 'mcp-dock-provider-config-'))),
    resources: () => ['http://127.0.0.1:1/mcp', 'http://127.0.0.1:1'],
    ...extra,
  });

type ResourceInfo = (
  ctx: unknown,
  resource: string,
  client: unknown,
) => { scope: string; accessTokenTTL: number };

describe('providerConfiguration', () => {
  it('knows the fixed scopes unless told every scope clients may hold', async () => {
    expect((await configured()).scopes).toEqual(['mcp.access', 'mcp:servers', 'offline_access']);
    expect((await configured({ scopes: ['mcp.access', 'mcp:server:fs'] })).scopes).toEqual([
      'mcp.access',
      'mcp:server:fs',
    ]);
  });

  it('gives access tokens the configured lifetime, and interactions the consent lifetime', async () => {
    expect((await configured()).ttl).toMatchObject({
      AccessToken: ACCESS_TOKEN_TTL_S,
      ClientCredentials: ACCESS_TOKEN_TTL_S,
      Interaction: CONSENT_TTL_MS / 1000,
    });
    const short = await configured({ accessTokenTtlS: 60 });
    expect(short.ttl).toMatchObject({ AccessToken: 60, ClientCredentials: 60 });
    const info = short.features!.resourceIndicators!.getResourceServerInfo as unknown as ResourceInfo;
    expect(
      info({ oidc: { params: { scope: 'mcp.access' } } }, 'http://127.0.0.1:1/mcp', {
        clientId: 'c',
        scope: 'mcp.access',
      }),
    ).toMatchObject({ scope: 'mcp.access', accessTokenTTL: 60 });
  });

  it('defaults the resource to the first one (the MCP endpoint) and requires PKCE', async () => {
    const configuration = await configured();
    const resourceIndicators = configuration.features!.resourceIndicators as {
      defaultResource: () => string;
    };
    expect(resourceIndicators.defaultResource()).toBe('http://127.0.0.1:1/mcp');
    expect((configuration.pkce!.required as () => boolean)()).toBe(true);
    expect(configuration.features!.registration).toEqual({
      enabled: true,
      issueRegistrationAccessToken: false,
    });
  });
});
