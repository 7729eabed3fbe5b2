import { describe, expect, it } from 'vitest';
import { resourceServerInfo } from './resource-server-info';

const policy = {
  resources: () => ['http://127.0.0.1:8081/mcp', 'http://127.0.0.1:8081'],
  accessTokenTtlS: 600,
};

describe('resourceServerInfo', () => {
  it('issues JWTs for one of our resources, with every scope the client registered for', () => {
    expect(
      resourceServerInfo(
        policy,
        'http://127.0.0.1:8081/mcp',
        { clientId: 'c', scope: 'mcp.access mcp:servers' },
        'mcp:servers',
      ),
    ).toEqual({
      scope: 'mcp.access mcp:servers',
      audience: 'http://127.0.0.1:8081/mcp',
      accessTokenTTL: 600,
      accessTokenFormat: 'jwt',
      jwt: { sign: { alg: 'ES256' } },
    });
  });

  it('gives a client that named no scopes the unnamed ones, never the gateway scopes', () => {
    expect(resourceServerInfo(policy, 'http://127.0.0.1:8081', { clientId: 'c' }, undefined).scope).toBe(
      'mcp.access offline_access',
    );
  });

  it('refuses a resource that is not ours', () => {
    expect(() =>
      resourceServerInfo(policy, 'https://elsewhere.example/mcp', { clientId: 'c', scope: 'mcp.access' }, ''),
    ).toThrow(expect.objectContaining({ error: 'invalid_target' }));
  });

  it('refuses a scope the client is not registered for, even one the provider does not know yet', () => {
    expect(() =>
      resourceServerInfo(
        policy,
        'http://127.0.0.1:8081/mcp',
        { clientId: 'c', scope: 'mcp.access' },
        'openid mcp.access mcp:server:later',
      ),
    ).toThrow(
      expect.objectContaining({
        error: 'invalid_scope',
        error_description: 'client c is not registered for mcp:server:later; it may ask for mcp.access',
      }),
    );
  });
});
