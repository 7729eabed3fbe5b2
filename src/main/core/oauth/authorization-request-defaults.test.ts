import { describe, expect, it } from 'vitest';
import { applyAuthorizationRequestDefaults } from './authorization-request-defaults';

const applied = (query: string) => {
  const params = new URLSearchParams(query);
  applyAuthorizationRequestDefaults(params);
  return Object.fromEntries(params);
};

describe('applyAuthorizationRequestDefaults', () => {
  it('gives a request without scope the default scope', () => {
    expect(applied('client_id=c')).toEqual({ client_id: 'c', scope: 'mcp.access' });
    expect(applied('client_id=c&scope=')).toEqual({ client_id: 'c', scope: 'mcp.access' });
  });

  it('asks for consent when offline_access is asked for, unless the client chose a prompt', () => {
    expect(applied('scope=mcp.access+offline_access')).toEqual({
      scope: 'mcp.access offline_access',
      prompt: 'consent',
    });
    expect(applied('scope=offline_access&prompt=login')).toEqual({
      scope: 'offline_access',
      prompt: 'login',
    });
    expect(applied('scope=mcp.access')).toEqual({ scope: 'mcp.access' });
  });
});
