import type { Configuration } from 'oidc-provider';
import type { JWK } from 'jose';
import { OAUTH_ROUTES } from './authorization-server-paths';
import { browserClientMayCall } from './browser-client-origins';
import { CONSENT_TTL_MS } from './consents';
import type { OAuthStore } from './file-adapter';
import { resourceServerInfo } from './resource-server-info';
import { SUPPORTED_SCOPES } from './scopes';

export const ACCESS_TOKEN_TTL_S = 1800;

export interface ProviderConfigurationOptions {
  // The first signs; the rest are rotated-out keys still published for verification.
  signingKeys: JWK[];
  store: OAuthStore;
  // The resources tokens may be issued for (RFC 8707); the first is the default.
  resources: () => string[];
  accessTokenTtlS?: number | undefined;
  // Every scope clients may hold (oidc-provider checks client metadata against this list).
  scopes?: readonly string[] | undefined;
}

// oidc-provider (OpenID Certified, built on jose) configured for MCP: client credentials and the
// code flow with PKCE, JWT access tokens per resource, self-registration of public clients.
export function providerConfiguration(options: ProviderConfigurationOptions): Configuration {
  const ttl = options.accessTokenTtlS ?? ACCESS_TOKEN_TTL_S;
  return {
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
        getResourceServerInfo: (ctx, resourceIndicator, client) =>
          resourceServerInfo(
            { resources: options.resources, accessTokenTtlS: ttl },
            resourceIndicator,
            client,
            (ctx.oidc.params as { scope?: unknown } | undefined)?.scope,
          ),
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
    clientBasedCORS: (_ctx, origin, client) => browserClientMayCall(origin, client),
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
}
