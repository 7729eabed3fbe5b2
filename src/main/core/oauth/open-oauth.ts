import type { JSONWebKeySet } from 'jose';
import type { DockImpl } from '../../../shared/contract';
import type { Unsubscribe } from '../../../shared/contract-kit';
import type { PanelSessions } from '../headless/panel-sessions';
import { createSessionToken } from '../headless/session-token';
import type { Route } from '../http/router';
import type { SecretStore } from '../secrets/secret-store';
import { followFile, type FileFollowers } from '../store/follow-file';
import type { Settings } from '../store/settings';
import { AuthorizationServerHost } from './authorization-server-host';
import type { BearerPolicy } from './bearer';
import { createClientAdmin, type ClientAdmin } from './client-admin';
import {
  createMetadataResolver,
  looksLikeMetadataUrl,
  type MetadataFetchOptions,
} from './client-metadata-document';
import { createConsentQueue, type ConsentQueue } from './consents';
import { ISSUED_TOKENS_FILE, openOAuthStore, type OAuthStore } from './file-adapter';
import { interactionRoute } from './interaction-routes';
import { isRevokedJti } from './jwt-token-endpoints';
import { oauthLimits } from './oauth-limits';
import {
  helloRoute,
  PROTECTED_RESOURCE_PATH,
  protectedResourceRoute,
  type ProtectedResource,
} from './resource-routes';
import { DEFAULT_SCOPE, knownScopes, SUPPORTED_SCOPES } from './scopes';
import { describeRing, loadKeyRing } from './signing-key';

export interface OAuthDeps {
  dataDir: string;
  secrets: SecretStore;
  settings: Settings;
  // Where clients reach this app: the running server's origin, or (CLI) the configured port.
  issuer: string;
  // An HTTP server runs: the provider, its routes and consents exist only then.
  serving: boolean;
  // The servers there are, whose per-server scopes the provider must know.
  serverNames: () => string[];
  onServersChanged: (listener: () => void) => Unsubscribe;
  // Headless mode: the consent page's Allow needs the panel's session.
  panelSessions?: PanelSessions | undefined;
  clientMetadata?: MetadataFetchOptions | undefined;
  // Protected resources besides the app and /mcp (the profiles' endpoints), by path.
  moreResources?: (() => ProtectedResource[]) | undefined;
}

// A bearer policy for one protected resource: everything but the keys and the origin, which the
// authorization server supplies.
export type BearerResource = Omit<BearerPolicy, 'issuer' | 'jwks' | 'isRevoked' | 'resourceMetadata'> & {
  // Appended to the protected-resource metadata path: '' for the app, '/mcp' for the gateway.
  metadataSuffix: string;
};

export interface OAuth {
  api: DockImpl['oauth'];
  routes: Route[];
  store: OAuthStore;
  clients: ClientAdmin;
  consents: ConsentQueue;
  // A resource's bearer policy, built once per signing-key set rather than per request.
  bearerPolicy(resource: BearerResource): () => BearerPolicy;
  followers: FileFollowers;
  close(): Promise<void>;
}

// The OAuth capability: the store of clients, grants and tokens, the authorization server (when
// serving), consent requests, and the bearer checks of MCP Dock's own resources.
export async function openOAuth(deps: OAuthDeps): Promise<OAuth> {
  const { issuer } = deps;
  const metadataResolver = createMetadataResolver(deps.clientMetadata);
  const store = await openOAuthStore(deps.dataDir, {
    resolveClient: (id) =>
      looksLikeMetadataUrl(id) ? metadataResolver.resolve(id) : Promise.resolve(undefined),
  });
  const clients = createClientAdmin(store);
  // The app itself, the gateway, and any more (profiles): what tokens may name as audience.
  const protectedResources = (): ProtectedResource[] => [
    { path: '/mcp', name: 'MCP Dock gateway' },
    { path: '', name: 'MCP Dock' },
    ...(deps.moreResources?.() ?? []),
  ];
  const resources = () => protectedResources().map((r) => `${issuer}${r.path}`);
  const consents = createConsentQueue();
  const host = new AuthorizationServerHost(
    {
      secrets: deps.secrets,
      store,
      issuer,
      serving: deps.serving,
      resources,
      accessTokenTtlS: deps.settings.oauth.accessTokenTtlSeconds,
      limits: () => oauthLimits(deps.settings.oauth),
      scopes: () =>
        knownScopes(
          deps.serverNames(),
          clients.list().flatMap((c) => c.scope.split(' ')),
        ),
    },
    await loadKeyRing(deps.secrets),
  );
  // A new server, or a client given a new server's scope: the provider learns the scope.
  const stopScopeWatch = [
    store.onChange(() => host.remountIfScopesChanged()),
    deps.onServersChanged(() => host.remountIfScopesChanged()),
  ];

  const isRevoked = (jti: string) => isRevokedJti(store, jti);
  const bearerPolicy = (resource: BearerResource): (() => BearerPolicy) => {
    const { metadataSuffix, ...rest } = resource;
    let last: { jwks: JSONWebKeySet; policy: BearerPolicy } | undefined;
    return () => {
      const jwks = host.jwks;
      if (last?.jwks !== jwks)
        last = {
          jwks,
          policy: {
            ...rest,
            issuer,
            jwks,
            resourceMetadata: `${issuer}${PROTECTED_RESOURCE_PATH}${metadataSuffix}`,
            isRevoked,
          },
        };
      return last.policy;
    };
  };

  const routes: Route[] = deps.serving
    ? [
        interactionRoute({
          provider: () => host.provider,
          consents,
          ...(deps.panelSessions
            ? { isPanelSession: (secret: string) => deps.panelSessions!.use(secret) }
            : {}),
          // Keys the consent forms' CSRF tokens; per run.
          csrfKey: (
            (key) => () =>
              key
          )(createSessionToken()),
          defaultResource: () => `${issuer}/mcp`,
        }),
        host.route,
        protectedResourceRoute(() => issuer, SUPPORTED_SCOPES, protectedResources),
        helloRoute(
          bearerPolicy({
            audience: [issuer, `${issuer}/mcp`],
            requiredScopes: [DEFAULT_SCOPE],
            metadataSuffix: '',
          }),
          (id) => clients.exists(id),
        ),
      ]
    : [];

  const withoutUndefined = <T extends object>(value: T): T =>
    Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
  const api: DockImpl['oauth'] = {
    consents: async () => consents.list().map(withoutUndefined),
    decideConsent: async ({ uid, decision }) => consents.decide(uid, decision),
    onConsents: (listener) => consents.onChange((list) => listener(list.map(withoutUndefined))),
    clients: async () => clients.list(),
    createClient: ({ name, scope }) =>
      clients.create({ name, grant: 'client_credentials', scope: scope || DEFAULT_SCOPE }),
    revokeClient: async ({ clientId }) => {
      await clients.revoke(clientId);
      return null;
    },
    tokens: async () => clients.tokens(),
    revokeToken: async ({ jti }) => {
      await clients.revokeToken(jti);
      return null;
    },
    grants: async () => clients.grants(),
    revokeGrant: async ({ grantId }) => {
      await clients.revokeGrant(grantId);
      return null;
    },
    resources: async () => (deps.serving ? resources() : []),
    createTestToken: (input) => host.testTokens.createTestToken(input),
    inspectToken: ({ token }) => host.testTokens.inspect(token),
    onChanged: (listener) => store.onChange(() => listener({ at: new Date().toISOString() })),
    signingKeys: async () => describeRing(await loadKeyRing(deps.secrets)),
    rotateSigningKey: () => host.rotateKeys(),
  };

  return {
    api,
    routes,
    store,
    clients,
    consents,
    bearerPolicy,
    followers: {
      'oauth.json': followFile(store),
      [ISSUED_TOKENS_FILE]: followFile(store.issuedTokens),
    },
    async close() {
      stopScopeWatch.forEach((stop) => stop());
      consents.close();
      await store.flush();
    },
  };
}
