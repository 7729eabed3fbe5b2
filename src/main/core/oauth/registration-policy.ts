import { checkRedirectUris } from './redirect-uris';
import { UNNAMED_SCOPES } from './scopes';

export interface RegistrationProblem {
  error: string;
  error_description: string;
}

// What oidc-provider lets through but MCP Dock must not (see redirect-uris.ts), and confidential
// clients, which only the person at the panel creates.
export function registrationProblem(body: Record<string, unknown>): RegistrationProblem | undefined {
  const problem = checkRedirectUris(body.redirect_uris);
  if (problem) return { error: 'invalid_redirect_uri', error_description: problem };
  const method = body.token_endpoint_auth_method;
  if (method !== undefined && method !== 'none') {
    return {
      error: 'invalid_client_metadata',
      error_description:
        'only public clients (token_endpoint_auth_method "none") register themselves; confidential clients are created in MCP Dock',
    };
  }
  const grants = body.grant_types;
  if (
    grants !== undefined &&
    (!Array.isArray(grants) || grants.some((g) => g !== 'authorization_code' && g !== 'refresh_token'))
  ) {
    return {
      error: 'invalid_client_metadata',
      error_description: 'registered clients may use authorization_code and refresh_token only',
    };
  }
  return undefined;
}

// A self-registration as the provider stores it: a public client of the code flow unless the
// body says otherwise (within what registrationProblem allows).
export function withRegistrationDefaults(body: Record<string, unknown>): Record<string, unknown> {
  return {
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    id_token_signed_response_alg: 'ES256',
    ...body,
    // Recorded, so what the client may ask for is on file and shown in the panel.
    ...(typeof body.scope === 'string' && body.scope.trim() !== ''
      ? {}
      : { scope: UNNAMED_SCOPES.join(' ') }),
  };
}
