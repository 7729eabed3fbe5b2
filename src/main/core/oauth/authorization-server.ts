import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify as stringifyQuery } from 'node:querystring';
import Provider from 'oidc-provider';
import type { JWK } from 'jose';
import type { Route } from '../http/router';
import { admitRegistration } from './admit-registration';
import { AttemptThrottle } from './attempt-throttle';
import { applyAuthorizationRequestDefaults } from './authorization-request-defaults';
import {
  AUTHORIZATION_SERVER_METADATA_PATH,
  CLIENT_AUTH_PATHS,
  isAuthorizationServerPath,
  OAUTH_ROUTES,
  OPENID_CONFIGURATION_PATH,
} from './authorization-server-paths';
import {
  answerPreflight,
  corsHeaders,
  originAllowed,
  originKnown,
  refuseOrigin,
} from './browser-client-origins';
import {
  authenticateClient,
  prepareClientAuthentication,
  sendClientRefusal,
  type ClientAuthenticationOptions,
} from './client-authentication';
import { compareHashedClientSecrets, runAsAuthenticated } from './client-secret-comparison';
import type { OAuthStore } from './file-adapter';
import { introspectJwt, looksLikeJwt, revokeJwt, type JwtEndpointsOptions } from './jwt-token-endpoints';
import { readForm, replaceBody } from './lib/read-oauth-body';
import { DEFAULT_OAUTH_LIMITS, type OAuthLimits } from './oauth-limits';
import { providerConfiguration } from './provider-configuration';
import { recordIssuedTokens, recordSelfRegistrations } from './provider-records';
import { publicJwk } from './signing-key';
import { applyTokenRequestDefaults } from './token-request-defaults';

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

// oidc-provider does the grant handling (configured in provider-configuration.ts); this is the
// door in front of it on core's HTTP server. A request's path through it: the issuer's host and
// request defaults are set (#handle); a registration is throttled and checked
// (admit-registration.ts); a token, introspection or revocation request has its origin checked,
// its client authenticated once (client-authentication.ts) and its scope defaults applied, and
// JWT introspection and revocation are answered here (jwt-token-endpoints.ts); everything else
// is the provider's.
export class AuthorizationServer {
  readonly provider: Provider;
  readonly #store: OAuthStore;
  readonly #callback: ReturnType<Provider['callback']>;
  readonly #issuerHost: string;
  readonly #throttle: AttemptThrottle;
  readonly #limits: () => OAuthLimits;
  readonly #clientAuth: ClientAuthenticationOptions;
  readonly #jwtEndpoints: JwtEndpointsOptions;

  constructor(options: AuthorizationServerOptions) {
    this.#store = options.store;
    this.#throttle = options.throttle ?? new AttemptThrottle();
    this.#limits = options.limits ?? (() => DEFAULT_OAUTH_LIMITS);
    prepareClientAuthentication();
    const clients = new options.store.Adapter('Client');
    this.#clientAuth = {
      // An unknown id may be a client the CLI made a moment ago (`mcp-dock gateway --stdio` on
      // first use): answering 401 until the file watcher catches up would count against it.
      findClient: async (id: string) =>
        (await clients.find(id)) ?? ((await options.store.catchUp()) ? clients.find(id) : undefined),
      throttle: this.#throttle,
      limits: this.#limits,
    };
    this.provider = new Provider(options.issuer, providerConfiguration(options));
    compareHashedClientSecrets(this.provider);
    recordIssuedTokens(this.provider, options.store);
    recordSelfRegistrations(this.provider, options.store, this.#limits);
    this.#jwtEndpoints = {
      issuer: options.issuer,
      jwks: { keys: options.signingKeys.map((k) => publicJwk(k) as never) },
      store: options.store,
    };
    this.#callback = this.provider.callback();
    this.#issuerHost = new URL(options.issuer).host;
  }

  readonly route: Route = (req, res, url) =>
    isAuthorizationServerPath(url.pathname) ? this.#handle(req, res, url) : false;

  async #handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    // RFC 8414 metadata and OIDC discovery describe the same server.
    if (url.pathname === AUTHORIZATION_SERVER_METADATA_PATH)
      req.url = `${OPENID_CONFIGURATION_PATH}${url.search}`;
    // Every URL the provider prints (discovery, redirects) must match the issuer exactly, whichever
    // loopback name the client used; the loopback guard has already refused foreign hosts.
    req.headers.host = this.#issuerHost;
    if (req.method === 'GET' && url.pathname === OAUTH_ROUTES.authorization) {
      applyAuthorizationRequestDefaults(url.searchParams);
      req.url = `${url.pathname}?${url.searchParams.toString()}`;
    }
    const origin = req.headers.origin;
    if (req.method === 'OPTIONS' && CLIENT_AUTH_PATHS.has(url.pathname) && origin !== undefined) {
      answerPreflight(
        res,
        origin,
        originKnown(() => this.#store.list('Client'), origin),
      );
      return true;
    }
    if (req.method === 'POST' && url.pathname === OAUTH_ROUTES.registration) {
      if (!(await admitRegistration(req, res, { throttle: this.#throttle, limits: this.#limits })))
        return true;
    }
    if (req.method === 'POST' && CLIENT_AUTH_PATHS.has(url.pathname)) {
      await this.#handleClientRequest(req, res, url, origin);
      return true;
    }
    await this.#callback(req, res);
    return true;
  }

  // A token, introspection or revocation request: the client is authenticated here once, with
  // throttling, before the provider (or MCP Dock, for JWT access tokens) answers.
  async #handleClientRequest(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    origin: string | undefined,
  ): Promise<void> {
    const form = await readForm(req, res);
    if (form === undefined) return;
    if (origin !== undefined && !(await originAllowed(req, form, origin, this.#clientAuth.findClient))) {
      refuseOrigin(res, origin);
      return;
    }
    const caller = await authenticateClient(req, form, this.#clientAuth);
    if ('status' in caller) {
      sendClientRefusal(res, caller);
      return;
    }
    if (url.pathname !== OAUTH_ROUTES.token && looksLikeJwt(form.token)) {
      const answer = url.pathname === OAUTH_ROUTES.introspection ? introspectJwt : revokeJwt;
      await answer(caller, res, form, this.#jwtEndpoints, corsHeaders(origin));
      return;
    }
    if (url.pathname === OAUTH_ROUTES.token) {
      const refusal = applyTokenRequestDefaults(form);
      if (refusal) {
        res.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(refusal));
        return;
      }
    }
    replaceBody(req, stringifyQuery(form));
    await runAsAuthenticated(caller, () => this.#callback(req, res));
  }
}
