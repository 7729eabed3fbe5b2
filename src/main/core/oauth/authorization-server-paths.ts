// The paths the guide's clients already use stay as they were; everything else lives under /oauth2/.
export const OAUTH_ROUTES = {
  authorization: '/oauth2/authorize',
  token: '/oauth2/token',
  registration: '/oauth2/register',
  introspection: '/oauth2/introspect',
  revocation: '/oauth2/revoke',
  jwks: '/oauth2/jwks',
  userinfo: '/oauth2/userinfo',
  end_session: '/oauth2/logout',
} as const;

// The endpoints where clients authenticate: throttled, and open to cross-origin calls only from
// a browser-based client's own origin.
export const CLIENT_AUTH_PATHS: ReadonlySet<string> = new Set([
  OAUTH_ROUTES.token,
  OAUTH_ROUTES.introspection,
  OAUTH_ROUTES.revocation,
]);

// The RFC 8414 metadata path, which describes the same server as OIDC discovery.
export const AUTHORIZATION_SERVER_METADATA_PATH = '/.well-known/oauth-authorization-server';
export const OPENID_CONFIGURATION_PATH = '/.well-known/openid-configuration';

export function isAuthorizationServerPath(pathname: string): boolean {
  return (
    pathname.startsWith('/oauth2/') ||
    pathname === OPENID_CONFIGURATION_PATH ||
    pathname === AUTHORIZATION_SERVER_METADATA_PATH
  );
}
