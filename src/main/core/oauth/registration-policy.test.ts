import { describe, expect, it } from 'vitest';
import { registrationProblem, withRegistrationDefaults } from './registration-policy';

const REDIRECT = ['http://127.0.0.1:33336/callback'];

describe('registrationProblem', () => {
  it('takes a public client of the code flow', () => {
    expect(registrationProblem({ redirect_uris: REDIRECT })).toBeUndefined();
    expect(
      registrationProblem({
        redirect_uris: REDIRECT,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
      }),
    ).toBeUndefined();
  });

  it('refuses redirect URIs that redirect-uris.ts refuses', () => {
    expect(registrationProblem({})?.error).toBe('invalid_redirect_uri');
  });

  it('refuses confidential clients', () => {
    expect(
      registrationProblem({ redirect_uris: REDIRECT, token_endpoint_auth_method: 'client_secret_post' }),
    ).toEqual({
      error: 'invalid_client_metadata',
      error_description:
        'only public clients (token_endpoint_auth_method "none") register themselves; confidential clients are created in MCP Dock',
    });
  });

  it.each([['client_credentials'], 'authorization_code'])('refuses grant_types %j', (grants) => {
    expect(registrationProblem({ redirect_uris: REDIRECT, grant_types: grants })).toEqual({
      error: 'invalid_client_metadata',
      error_description: 'registered clients may use authorization_code and refresh_token only',
    });
  });
});

describe('withRegistrationDefaults', () => {
  it('records a public code-flow client with the unnamed scopes', () => {
    expect(withRegistrationDefaults({ redirect_uris: REDIRECT, scope: ' ' })).toEqual({
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: 'ES256',
      redirect_uris: REDIRECT,
      scope: 'mcp.access offline_access',
    });
  });

  it('keeps what the client named', () => {
    expect(
      withRegistrationDefaults({
        redirect_uris: REDIRECT,
        scope: 'mcp:servers',
        grant_types: ['authorization_code'],
      }),
    ).toMatchObject({ scope: 'mcp:servers', grant_types: ['authorization_code'] });
  });
});
