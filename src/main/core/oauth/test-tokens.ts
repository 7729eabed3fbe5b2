import { randomBytes } from 'node:crypto';
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
} from 'jose';
import type { TokenInspection } from '../../../shared/oauth-admin';
import {
  AudienceError,
  NotAJwtError,
  ScopeNotRegisteredError,
  UnknownClientError,
  UnknownScopeError,
} from './oauth-errors';
import { isSupportedScope, registeredScopes } from './scopes';
import type { OAuthStore } from './file-adapter';
import { isRevokedJti } from './jwt-token-endpoints';
import { ISSUED } from './token-models';
import { publicJwk } from './signing-key';

export interface TestTokensOptions {
  issuer: string;
  // The first signs test tokens; all of them verify.
  signingKeys: JWK[];
  store: OAuthStore;
  resources: () => string[];
}

// The guide's create_oauth2_test_token and a JWT inspector, for the Clients & Tokens pane.
export function createTestTokens(options: TestTokensOptions) {
  const signingKey = options.signingKeys[0]!;
  const jwks = () => createLocalJWKSet({ keys: options.signingKeys.map((k) => publicJwk(k) as never) });
  return {
    async createTestToken(input: { clientId: string; scope: string; audience: string; ttlSeconds: number }) {
      const client = options.store.get('Client', input.clientId);
      if (!client) throw new UnknownClientError(input.clientId);
      if (!options.resources().includes(input.audience)) throw new AudienceError(options.resources());
      const unknown = input.scope.split(' ').filter((s) => s && !isSupportedScope(s));
      if (unknown.length > 0) throw new UnknownScopeError(unknown);
      // The same rule as the token endpoint: a client's tokens carry only scopes it is registered for.
      const registered = registeredScopes(typeof client.scope === 'string' ? client.scope : undefined);
      const beyond = input.scope.split(' ').filter((s) => s && !registered.has(s));
      if (beyond.length > 0) throw new ScopeNotRegisteredError(input.clientId, beyond, registered);
      const jti = randomBytes(24).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ scope: input.scope, client_id: input.clientId, jti })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: signingKey.kid! })
        .setIssuer(options.issuer)
        .setSubject(input.clientId)
        .setAudience(input.audience)
        .setIssuedAt(now)
        .setExpirationTime(now + input.ttlSeconds)
        .sign(await importJWK(signingKey, 'ES256'));
      await new options.store.Adapter(ISSUED).upsert(
        jti,
        {
          jti,
          clientId: input.clientId,
          scope: input.scope,
          aud: input.audience,
          exp: now + input.ttlSeconds,
          test: true,
        },
        input.ttlSeconds,
      );
      return { access_token: token, token_type: 'Bearer', expires_in: input.ttlSeconds, scope: input.scope };
    },

    async inspect(token: string): Promise<TokenInspection> {
      let header: Record<string, unknown>;
      let claims: Record<string, unknown>;
      try {
        header = decodeProtectedHeader(token) as Record<string, unknown>;
        claims = decodeJwt(token) as Record<string, unknown>;
      } catch {
        throw new NotAJwtError();
      }
      const base = { header, claims, ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp } : {}) };
      try {
        await jwtVerify(token, jwks(), {
          issuer: options.issuer,
          audience: options.resources(),
          algorithms: ['ES256'],
          typ: 'at+jwt',
        });
      } catch (error) {
        const code = (error as { code?: string }).code;
        const reason =
          code === 'ERR_JWT_EXPIRED'
            ? 'it has expired'
            : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
              ? `a claim does not match this server: ${(error as Error).message}`
              : code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
                ? 'it was not signed by this server (or was altered)'
                : `it is not a valid access token here: ${(error as Error).message}`;
        return { ...base, valid: false, reason };
      }
      if (typeof claims.jti === 'string' && isRevokedJti(options.store, claims.jti))
        return { ...base, valid: false, reason: 'it has been revoked' };
      if (!options.store.get('Client', String(claims.client_id ?? claims.sub)))
        return { ...base, valid: false, reason: 'its client has been revoked' };
      return { ...base, valid: true };
    },
  };
}
