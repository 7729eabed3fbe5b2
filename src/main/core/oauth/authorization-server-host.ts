import type { JSONWebKeySet } from 'jose';
import type Provider from 'oidc-provider';
import type { Route } from '../http/router';
import type { SecretStore } from '../secrets/secret-store';
import { AttemptThrottle } from './attempt-throttle';
import { AuthorizationServer } from './authorization-server';
import type { OAuthStore } from './file-adapter';
import type { OAuthLimits } from './oauth-limits';
import { createTestTokens } from './test-tokens';
import {
  activeKeys,
  describeRing,
  publicJwk,
  rotateKeyRing,
  type KeyRing,
  type SigningKeyInfo,
} from './signing-key';

export interface AuthorizationServerHostDeps {
  secrets: SecretStore;
  store: OAuthStore;
  issuer: string;
  // false: no HTTP server (CLI commands): test tokens and the key ring, but no provider.
  serving: boolean;
  accessTokenTtlS: number;
  limits: () => OAuthLimits;
  // Every scope a client may hold now (oidc-provider validates client metadata against them).
  scopes: () => string[];
  // Every resource tokens may be issued for (RFC 8707); the first is the default.
  resources: () => string[];
}

// The authorization server on the current signing keys and scopes. oidc-provider fixes both when
// it is made, so a key rotation or a scope that appears (a new server, a client given a server's
// scope) builds it anew; everything that must outlive a rebuild (the throttle) lives here.
export class AuthorizationServerHost {
  readonly #deps: AuthorizationServerHostDeps;
  // Outlives rebuilds: a key rotation must not forget who was guessing secrets.
  readonly #throttle = new AttemptThrottle();
  #ring: KeyRing;
  #jwks!: JSONWebKeySet;
  #testTokens!: ReturnType<typeof createTestTokens>;
  #server: AuthorizationServer | undefined;
  #mountedScopes = '';

  constructor(deps: AuthorizationServerHostDeps, ring: KeyRing) {
    this.#deps = deps;
    this.#ring = ring;
    this.#mount();
  }

  // The public keys that verify tokens now; a new object after each rotation (bearer policies
  // are cached per key set).
  get jwks(): JSONWebKeySet {
    return this.#jwks;
  }

  get provider(): Provider | undefined {
    return this.#server?.provider;
  }

  get testTokens(): ReturnType<typeof createTestTokens> {
    return this.#testTokens;
  }

  readonly route: Route = (req, res, url) => this.#server?.route(req, res, url) ?? false;

  // Old keys stay published for one token lifetime (plus a minute), so nothing in flight breaks.
  async rotateKeys(): Promise<SigningKeyInfo[]> {
    this.#ring = await rotateKeyRing(this.#deps.secrets, this.#deps.accessTokenTtlS + 60);
    this.#mount();
    return describeRing(this.#ring);
  }

  remountIfScopesChanged(): void {
    if (this.#deps.serving && this.#deps.scopes().join(' ') !== this.#mountedScopes) this.#mount();
  }

  #mount(): void {
    const { store, issuer } = this.#deps;
    const keys = activeKeys(this.#ring);
    this.#jwks = { keys: keys.map((k) => publicJwk(k) as JSONWebKeySet['keys'][number]) };
    const resources = this.#deps.resources;
    this.#testTokens = createTestTokens({ issuer, signingKeys: keys, store, resources });
    if (!this.#deps.serving) return;
    const scopes = this.#deps.scopes();
    this.#mountedScopes = scopes.join(' ');
    this.#server = new AuthorizationServer({
      issuer,
      signingKeys: keys,
      store,
      resources,
      accessTokenTtlS: this.#deps.accessTokenTtlS,
      scopes,
      throttle: this.#throttle,
      limits: this.#deps.limits,
    });
  }
}
