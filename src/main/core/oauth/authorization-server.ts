import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery, stringify as stringifyQuery, type ParsedUrlQuery } from 'node:querystring';
import Provider, { errors as oidcErrors, type Configuration } from 'oidc-provider';
import type { JWK } from 'jose';
import type { Route } from '../http/router';
import type { OAuthStore } from './file-adapter';
import { AttemptThrottle } from './attempt-throttle';
import {
  authenticateClient,
  prepareClientAuthentication,
  sendClientRefusal,
  sourceOf,
  type AuthenticatedClient,
} from './client-authentication';
import { DEFAULT_OAUTH_LIMITS, type OAuthLimits } from './oauth-limits';
import { isClientSecretHash, verifyClientSecret } from './client-secret-hash';
import { introspectJwt, looksLikeJwt, revokeJwt } from './jwt-token-endpoints';
import { ISSUED } from './token-models';
import { readBoundedBody } from './lib/read-bounded-body';
import { checkRedirectUris } from './redirect-uris';
import { CONSENT_TTL_MS } from './consents';
import { publicJwk } from './signing-key';
import {
  DEFAULT_SCOPE,
  isSupportedScope,
  SCOPES_HELP,
  registeredScopes,
  SUPPORTED_SCOPES,
  UNNAMED_SCOPES,
} from './scopes';

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
  // The first signs; the rest are rotated-out keys still published for verification.
  signingKeys: JWK[];
  store: OAuthStore;
  // The resources tokens may be issued for (RFC 8707); the first is the default.
  resources: () => string[];
  accessTokenTtlS?: number;
  // Every scope clients may hold: the fixed ones plus mcp:server:<name> for the servers that
  // exist or that a client was given (oidc-provider checks client metadata against this list).
  scopes?: readonly string[];
  // Kept by the caller across rebuilds (key rotation, new scopes), so a rebuild forgets no one.
  throttle?: AttemptThrottle;
  limits?: () => OAuthLimits;
}

// The endpoints where clients authenticate: throttled, and open to cross-origin calls only from
// a browser-based client's own origin.
const CLIENT_AUTH_PATHS: ReadonlySet<string> = new Set([
  OAUTH_ROUTES.token,
  OAUTH_ROUTES.introspection,
  OAUTH_ROUTES.revocation,
]);

// The client a request authenticated as in front of oidc-provider, so the provider's own check of
// the same credentials (it authenticates again) need not pay for the hash twice.
const authenticatedHere = new AsyncLocalStorage<AuthenticatedClient>();

// oidc-provider (OpenID Certified, built on jose) does the grant handling; this module configures
// it for MCP and mounts it on core's HTTP server.
export function createAuthorizationServer(options: AuthorizationServerOptions) {
  const ttl = options.accessTokenTtlS ?? ACCESS_TOKEN_TTL_S;
  const throttle = options.throttle ?? new AttemptThrottle();
  const limits = options.limits ?? (() => DEFAULT_OAUTH_LIMITS);
  prepareClientAuthentication();
  const clients = new options.store.Adapter('Client');
  const clientAuth = {
    // An unknown id may be a client the CLI made a moment ago (`mcp-dock gateway --stdio` on first
    // use): answering 401 until the file watcher catches up would count against it.
    findClient: async (id: string) =>
      (await clients.find(id)) ?? ((await options.store.catchUp()) ? clients.find(id) : undefined),
    throttle,
    limits,
  };
  const configuration: Configuration = {
    adapter: options.store.Adapter as unknown as Configuration['adapter'],
    jwks: { keys: options.signingKeys as never },
    routes: OAUTH_ROUTES,
    scopes: [...(options.scopes ?? SUPPORTED_SCOPES)],
    claims: { openid: ['sub'] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // As for JWT access tokens (jwt-token-endpoints.ts): a client learns about its own only.
        allowedPolicy: (ctx, client, token) => token.clientId === client.clientId,
      },
      revocation: { enabled: true },
      userinfo: { enabled: false },
      // RFC 7591: public clients (MCP clients) register themselves; confidential ones are made in
      // the app or the CLI. No registration access token: nothing can read or change a
      // registration with it here (RFC 7592 is off), and each was one more record kept forever.
      registration: { enabled: true, issueRegistrationAccessToken: false },
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // Clients following the MCP spec send `resource`; the guide's curl does not, and gets
        // the default: the MCP endpoint.
        defaultResource: () => options.resources()[0]!,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resourceIndicator, client) => {
          if (!options.resources().includes(resourceIndicator)) throw new oidcErrors.InvalidTarget();
          // oidc-provider holds a client to its registered scopes only for the scopes it knows,
          // and it knows mcp:server:<name> only once that server exists: without this check a
          // client could ask for the scope of a server added later and hold it when it comes.
          const registered = registeredScopes(client.scope);
          const asked = String((ctx.oidc.params as { scope?: unknown } | undefined)?.scope ?? '')
            .split(' ')
            .filter((s) => s && s !== 'openid');
          const refused = asked.filter((s) => !registered.has(s));
          if (refused.length > 0)
            throw new oidcErrors.InvalidScope(
              `client ${client.clientId} is not registered for ${refused.join(' ')}; it may ask for ${[...registered].join(' ')}`,
              refused.join(' '),
            );
          return {
            scope: [...registered].join(' '),
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
    discovery: { client_id_metadata_document_supported: true },
    pkce: { required: () => true },
    // A browser-based client may call the token endpoint (and revoke its tokens) from the origin of
    // one of its redirect URIs; confidential clients never from a browser.
    clientBasedCORS: (_ctx, origin, client) =>
      origin !== 'null' &&
      client.clientAuthMethod === 'none' &&
      (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin),
    rotateRefreshToken: true,
    interactions: { url: (_ctx, interaction) => `/oauth2/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    // An interaction lives as long as its consent request waits in the panel.
    ttl: { AccessToken: ttl, ClientCredentials: ttl, Interaction: CONSENT_TTL_MS / 1000 },
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
    this: { clientSecret?: string; clientId: string },
    actual: string,
  ) {
    const here = authenticatedHere.getStore();
    if (here?.confidential && here.clientId === this.clientId && here.secret === actual) return true;
    const stored = this.clientSecret ?? '';
    return isClientSecretHash(stored) ? verifyClientSecret(stored, actual) : original.call(this, actual);
  } as never;
  // Every JWT access token issued is recorded by jti until it would expire, so introspection and
  // revocation can answer for it (see jwt-token-endpoints.ts).
  // JWT tokens carry no stored exp here; `expiration` is the lifetime left, in seconds.
  const recordIssued = (token: {
    jti?: string;
    clientId?: string;
    accountId?: string;
    grantId?: string;
    scope?: string;
    aud?: unknown;
    expiration?: number;
  }) => {
    const ttl = token.expiration;
    if (!token.jti || !ttl) return;
    const exp = Math.floor(Date.now() / 1000) + ttl;
    void new options.store.Adapter(ISSUED)
      .upsert(
        token.jti,
        {
          jti: token.jti,
          clientId: token.clientId,
          accountId: token.accountId,
          grantId: token.grantId,
          scope: token.scope,
          aud: token.aud as never,
          exp,
        },
        ttl,
      )
      // The token is already on its way; the record stays in memory, so it works (and can be
      // revoked) until a restart even when the journal cannot be written.
      .catch(() => undefined);
  };
  provider.on('access_token.issued', recordIssued);
  provider.on('client_credentials.issued', recordIssued);
  // A client that registered itself is kept a while unused; its first grant keeps it for good.
  provider.on('registration_create.success', (_ctx, client) => {
    const { unusedRegistrationTtlSeconds, maxUnusedRegistrations } = limits();
    void options.store
      .markSelfRegistered(client.clientId, {
        unusedTtlS: unusedRegistrationTtlSeconds,
        maxUnused: maxUnusedRegistrations,
      })
      .catch(() => undefined);
  });
  const jwtEndpoints = {
    issuer: options.issuer,
    jwks: { keys: options.signingKeys.map((k) => publicJwk(k) as never) },
    store: options.store,
  };
  const callback = provider.callback();
  const issuerHost = new URL(options.issuer).host;

  const isOurs = (pathname: string) =>
    pathname.startsWith('/oauth2/') ||
    pathname === '/.well-known/openid-configuration' ||
    pathname === '/.well-known/oauth-authorization-server';

  const route: Route = (req, res, url) => (isOurs(url.pathname) ? handle(req, res, url) : false);
  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    // RFC 8414 metadata and OIDC discovery describe the same server.
    if (url.pathname === '/.well-known/oauth-authorization-server')
      req.url = `/.well-known/openid-configuration${url.search}`;
    // Every URL the provider prints (discovery, redirects) must match the issuer exactly, whichever
    // loopback name the client used; the loopback guard has already refused foreign hosts.
    req.headers.host = issuerHost;
    if (req.method === 'GET' && url.pathname === OAUTH_ROUTES.authorization) {
      // Spec-following MCP clients may omit scope: they get the default one.
      if (!url.searchParams.get('scope')) url.searchParams.set('scope', DEFAULT_SCOPE);
      // oidc-provider keeps offline_access only with prompt=consent (an OpenID rule). MCP Dock
      // asks the person at the panel on every authorization, so that is what happens anyway.
      if (
        url.searchParams.get('scope')!.split(' ').includes('offline_access') &&
        !url.searchParams.get('prompt')
      ) {
        url.searchParams.set('prompt', 'consent');
      }
      req.url = `${url.pathname}?${url.searchParams.toString()}`;
    }
    const origin = req.headers.origin;
    // A browser-based client posts a form, which needs no preflight; a preflight is answered only
    // for an origin some registered browser-based client redirects to, and allows no more than
    // that form (no Authorization header: such a client has no secret).
    if (req.method === 'OPTIONS' && CLIENT_AUTH_PATHS.has(url.pathname) && origin !== undefined) {
      if (!corsOriginKnown(origin)) {
        refuseOrigin(res, origin);
        return true;
      }
      res.writeHead(204, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '600',
        vary: 'Origin',
      });
      res.end();
      return true;
    }
    if (req.method === 'POST' && url.pathname === OAUTH_ROUTES.registration) {
      const decision = await throttle.acquire([
        { key: `register:${sourceOf(req)}`, perMinute: limits().registrationsPerMinute },
      ]);
      if (!decision.ok) {
        sendClientRefusal(res, {
          status: 429,
          error: 'temporarily_unavailable',
          description: `too many client registrations from this address; try again in ${decision.retryAfterS} s`,
          retryAfterS: decision.retryAfterS,
        });
        return true;
      }
      // Only registrations that happened count.
      res.once('finish', () => decision.settle(res.statusCode === 201));
      res.once('close', () => decision.settle(res.statusCode === 201));
      const body = await readJson(req, res);
      if (body === undefined) return true;
      const problem = registrationProblem(body);
      if (problem) {
        res.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(problem));
        return true;
      }
      (req as IncomingMessage & { body?: string }).body = JSON.stringify({
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        id_token_signed_response_alg: 'ES256',
        ...body,
        // Recorded, so what the client may ask for is on file and shown in the panel.
        ...(typeof body.scope === 'string' && body.scope.trim() !== ''
          ? {}
          : { scope: UNNAMED_SCOPES.join(' ') }),
      });
    }
    let caller: AuthenticatedClient | undefined;
    let form: ParsedUrlQuery | undefined;
    if (req.method === 'POST' && CLIENT_AUTH_PATHS.has(url.pathname)) {
      form = await readForm(req, res);
      if (form === undefined) return true;
      // Checked before any secret is: a page elsewhere gets nothing, not even a guess counted.
      if (origin !== undefined && !(await originAllowed(req, form, origin))) {
        refuseOrigin(res, origin);
        return true;
      }
      const authenticated = await authenticateClient(req, form, clientAuth);
      if ('status' in authenticated) {
        sendClientRefusal(res, authenticated);
        return true;
      }
      caller = authenticated;
      (req as IncomingMessage & { body?: string }).body = stringifyQuery(form);
      if (url.pathname !== OAUTH_ROUTES.token && looksLikeJwt(form.token)) {
        const cors: Record<string, string> =
          origin !== undefined ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
        await (url.pathname === OAUTH_ROUTES.introspection ? introspectJwt : revokeJwt)(
          caller,
          res,
          form,
          jwtEndpoints,
          cors,
        );
        return true;
      }
    }
    if (form && url.pathname === OAUTH_ROUTES.token) {
      const body = form;
      // A client_credentials request without `scope` gets the default scope, as the MCP
      // client-credentials extension expects.
      if (body.grant_type === 'client_credentials' && !body.scope) body.scope = DEFAULT_SCOPE;
      // oidc-provider drops scopes it does not know; a client asking for one should hear no.
      const unknown = String(body.scope ?? '')
        .split(' ')
        .filter((s) => s && !isSupportedScope(s) && s !== 'openid');
      if (unknown.length > 0) {
        res.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(
          JSON.stringify({
            error: 'invalid_scope',
            error_description: `unknown scope ${unknown.join(' ')}; supported: ${SCOPES_HELP}`,
          }),
        );
        return true;
      }
      (req as IncomingMessage & { body?: string }).body = stringifyQuery(body);
    }
    if (caller) await authenticatedHere.run(caller, () => callback(req, res));
    else await callback(req, res);
    return true;
  };

  const redirectsTo = (client: Record<string, unknown> | undefined, origin: string) =>
    client?.token_endpoint_auth_method === 'none' &&
    Array.isArray(client.redirect_uris) &&
    client.redirect_uris.some((uri) => typeof uri === 'string' && URL.parse(uri)?.origin === origin);
  // An origin some stored browser-based client redirects to.
  const corsOriginKnown = (origin: string) =>
    origin !== 'null' && options.store.list('Client').some((c) => redirectsTo(c, origin));
  // The client the request names is a browser-based one (stored, or by its metadata document)
  // that redirects to this origin; a confidential client is never called from a browser.
  const originAllowed = async (req: IncomingMessage, form: ParsedUrlQuery, origin: string) =>
    origin !== 'null' &&
    req.headers.authorization === undefined &&
    typeof form.client_id === 'string' &&
    redirectsTo(await clientAuth.findClient(form.client_id), origin);

  return { provider, route };
}

function refuseOrigin(res: ServerResponse, origin: string): void {
  res.writeHead(403, { 'content-type': 'application/json', 'cache-control': 'no-store', vary: 'Origin' });
  res.end(
    JSON.stringify({
      error: 'invalid_request',
      error_description: `cross-origin requests are taken only from a browser-based client's own origin (one of its redirect URIs), not ${origin}`,
    }),
  );
}

function sendTooLarge(res: ServerResponse, error: string, headers: Record<string, string>): void {
  res.writeHead(413, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(
    JSON.stringify({ error, error_description: `request body too large (at most ${MAX_FORM_BYTES} bytes)` }),
  );
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
  const read = await readBoundedBody(req, res, MAX_FORM_BYTES, (headers) =>
    sendTooLarge(res, 'invalid_request', headers),
  );
  if (!read.ok) return undefined;
  // Repeated parameters stay repeated: the provider rejects them as RFC 6749 requires.
  return parseQuery(read.body.toString('utf8'));
}

async function readJson(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Record<string, unknown> | undefined> {
  const fail = (status: number, description: string) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ error: 'invalid_client_metadata', error_description: description }));
    return undefined;
  };
  if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
    return fail(400, 'registration takes an application/json body');
  const read = await readBoundedBody(req, res, MAX_FORM_BYTES, (headers) =>
    sendTooLarge(res, 'invalid_client_metadata', headers),
  );
  if (!read.ok) return undefined;
  try {
    const value: unknown = JSON.parse(read.body.toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return fail(400, 'the body must be a JSON object');
    return value as Record<string, unknown>;
  } catch {
    return fail(400, 'the body is not JSON');
  }
}

// What oidc-provider lets through but MCP Dock must not (see redirect-uris.ts), and confidential
// clients, which only the person at the panel creates.
function registrationProblem(
  body: Record<string, unknown>,
): { error: string; error_description: string } | undefined {
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
