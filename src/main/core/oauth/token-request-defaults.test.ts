import type { ParsedUrlQuery } from 'node:querystring';
import { describe, expect, it } from 'vitest';
import { applyTokenRequestDefaults } from './token-request-defaults';

describe('applyTokenRequestDefaults', () => {
  it('gives a client_credentials request without scope the default scope', () => {
    const form: ParsedUrlQuery = { grant_type: 'client_credentials' };
    expect(applyTokenRequestDefaults(form)).toBeUndefined();
    expect(form.scope).toBe('mcp.access');
  });

  it('leaves other grants without scope as they are', () => {
    const form: ParsedUrlQuery = { grant_type: 'authorization_code', code: 'x' };
    expect(applyTokenRequestDefaults(form)).toBeUndefined();
    expect(form.scope).toBeUndefined();
  });

  it('takes known scopes, per-server scopes and openid', () => {
    const form: ParsedUrlQuery = {
      grant_type: 'client_credentials',
      scope: 'openid mcp:servers mcp:server:fs',
    };
    expect(applyTokenRequestDefaults(form)).toBeUndefined();
  });

  it('names the scopes it does not know, and what it supports', () => {
    expect(
      applyTokenRequestDefaults({ grant_type: 'client_credentials', scope: 'mcp.access admin x' }),
    ).toEqual({
      error: 'invalid_scope',
      error_description:
        'unknown scope admin x; supported: mcp.access mcp:servers offline_access mcp:server:<name>',
    });
  });
});
