import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery, stringify as stringifyQuery, type ParsedUrlQuery } from 'node:querystring';
import Provider, { errors as oidcErrors, type Configuration } from 'oidc-provider';
import type { JWK } from 'jose';
import type { Route } from '../http/router';
import type { OAuthStore } from './file-adapter';
import { isClientSecretHash, verifyClientSecret } from './client-secret-hash';

export const DEFAULT_SCOPE = 'mcp.access';
export const SUPPORTED_SCOPES = ['mcp.access', 'offline_access'] as const;
export const ACCESS_TOKEN_TTL_S = 1800;
export const MAX_FORM_BYTES = 64 * 1024;

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

export interface AuthorizationServerOptions {
  issuer: string;
  signingKey: JWK;
  store: OAuthStore;
  // The resources tokens may be issued for (RFC 8707); the first is the default.
  resources: () => string[];
  accessTokenTtlS?: number;
}

// oidc-provider (OpenID Certified, built on jose) does the grant handling; this module configures
// it for MCP and mounts it on core's HTTP server.
export function createAuthorizationServer(options: AuthorizationServerOptions) {
  const ttl = options.accessTokenTtlS ?? ACCESS_TOKEN_TTL_S;
  const configuration: Configuration = {
    adapter: options.store.Adapter as unknown as Configuration['adapter'],
    jwks: { keys: [options.signingKey as never] },
    routes: OAUTH_ROUTES,
    scopes: [...SUPPORTED_SCOPES],
    claims: { openid: ['sub'] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // Clients following the MCP spec send `resource`; the guide's curl does not, and gets
        // the default: the MCP endpoint.
        defaultResource: () => options.resources()[0]!,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator) => {
          if (!options.resources().includes(resourceIndicator)) throw new oidcErrors.InvalidTarget();
          return {
            scope: SUPPORTED_SCOPES.join(' '),
            audience: resourceIndicator,
            accessTokenTTL: ttl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    clientDefaults: {
      grant_types: ['client_credentials'],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'ES256',
    },
    responseTypes: ['code'],
    ttl: { AccessToken: ttl, ClientCredentials: ttl },
    enabledJWA: { requestObjectSigningAlgValues: ['ES256'], idTokenSigningAlgValues: ['ES256'] },
    renderError: (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  };
  const provider = new Provider(options.issuer, configuration);
  // Client secrets are stored as scrypt hashes; oidc-provider compares what it stores with what
  // the client sent, so the comparison is the one place that has to know.
  const original = provider.Client.prototype.compareClientSecret as (
    this: { clientSecret?: string },
    actual: string,
  ) => Promise<boolean>;
  provider.Client.prototype.compareClientSecret = async function (
    this: { clientSecret?: string },
    actual: string,
  ) {
    const stored = this.clientSecret ?? '';
    return isClientSecretHash(stored) ? verifyClientSecret(stored, actual) : original.call(this, actual);
  } as never;
  const callback = provider.callback();
  const issuerHost = new URL(options.issuer).host;

  const isOurs = (pathname: string) =>
    pathname.startsWith('/oauth2/') ||
    pathname === '/.well-known/openid-configuration' ||
    pathname === '/.well-known/oauth-authorization-server';

  const route: Route = async (req, res, url) => {
    if (!isOurs(url.pathname)) return false;
    // RFC 8414 metadata and OIDC discovery describe the same server.
    if (url.pathname === '/.well-known/oauth-authorization-server')
      req.url = `/.well-known/openid-configuration${url.search}`;
    // Every URL the provider prints (discovery, redirects) must match the issuer exactly, whichever
    // loopback name the client used; the loopback guard has already refused foreign hosts.
    req.headers.host = issuerHost;
    if (req.method === 'POST' && url.pathname === OAUTH_ROUTES.token) {
      const body = await readForm(req, res);
      if (body === undefined) return true;
      // A client_credentials request without `scope` gets the default scope, as the MCP
      // client-credentials extension expects.
      if (body.grant_type === 'client_credentials' && !body.scope) body.scope = DEFAULT_SCOPE;
      // oidc-provider drops scopes it does not know; a client asking for one should hear no.
      const unknown = String(body.scope ?? '')
        .split(' ')
        .filter((s) => s && !(SUPPORTED_SCOPES as readonly string[]).includes(s) && s !== 'openid');
      if (unknown.length > 0) {
        res.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(
          JSON.stringify({
            error: 'invalid_scope',
            error_description: `unknown scope ${unknown.join(' ')}; supported: ${SUPPORTED_SCOPES.join(' ')}`,
          }),
        );
        return true;
      }
      (req as IncomingMessage & { body?: string }).body = stringifyQuery(body);
    }
    await callback(req, res);
    return true;
  };

  return { provider, route };
}

// Reads a bounded urlencoded body so the token endpoint can apply defaults before the provider.
async function readForm(req: IncomingMessage, res: ServerResponse): Promise<ParsedUrlQuery | undefined> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: 'invalid_request',
        error_description: 'the token endpoint takes application/x-www-form-urlencoded bodies',
      }),
    );
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) {
      res.writeHead(413, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_request', error_description: 'request body too large' }));
      return undefined;
    }
    chunks.push(chunk);
  }
  // Repeated parameters stay repeated: the provider rejects them as RFC 6749 requires.
  return parseQuery(Buffer.concat(chunks).toString('utf8'));
}
