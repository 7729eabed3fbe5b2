import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/respond';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';

export interface BearerPolicy {
  issuer: string;
  jwks: JSONWebKeySet;
  // The resource(s) the request is for: the token's audience must name one.
  audience: string | string[];
  requiredScopes: readonly string[];
  // What WWW-Authenticate tells clients to ask for (defaults to requiredScopes): at /mcp that
  // includes the gateway's scope, which only upstream calls need.
  challengeScopes?: readonly string[];
  // RFC 9728 metadata URL for this resource, sent in WWW-Authenticate.
  resourceMetadata: string;
  // Revoked tokens are refused even while their signature and expiry are fine.
  isRevoked?: (jti: string) => boolean;
}

// Building a key set imports its keys; done once per JWKS (a rotation makes a new object), not per
// request, which would cost more than the signature check itself.
const keySets = new WeakMap<JSONWebKeySet, ReturnType<typeof createLocalJWKSet>>();
function keySetFor(jwks: JSONWebKeySet) {
  let set = keySets.get(jwks);
  if (!set) keySets.set(jwks, (set = createLocalJWKSet(jwks)));
  return set;
}

// A token whose signature, issuer, audience and type checked out once is not checked again until
// it expires: a client reusing its token then costs a map lookup, not a signature verification.
// Keyed by the whole token (signature included); revocation and scope are still checked per
// request, and a new JWKS (rotation) starts over.
const VERIFIED_MAX = 10_000;
interface Verified {
  claims: JWTPayload;
  // Where it was verified: the key set, issuer and audience it was checked against.
  jwks: JSONWebKeySet;
  where: string;
  scopes: ReadonlySet<string>;
}
const verified = new Map<string, Verified>();
function remember(token: string, entry: Verified) {
  if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
  verified.set(token, entry);
}
const wheres = new WeakMap<BearerPolicy, string>();
function whereOf(policy: BearerPolicy): string {
  let where = wheres.get(policy);
  if (where === undefined)
    wheres.set(policy, (where = `${policy.issuer}\n${[policy.audience].flat().join(' ')}`));
  return where;
}
const grantedScopes = (claims: JWTPayload) =>
  new Set(
    String(claims.scope ?? '')
      .split(' ')
      .filter(Boolean),
  );

export type BearerResult =
  | { ok: true; claims: JWTPayload & { client_id?: string; scope?: string } }
  | {
      ok: false;
      status: 401 | 403 | 400;
      error: 'invalid_token' | 'insufficient_scope' | 'invalid_request';
      description: string;
      wwwAuthenticate: string;
    };

function challenge(policy: BearerPolicy, error?: string, description?: string): string {
  const parts = [
    `resource_metadata="${policy.resourceMetadata}"`,
    `scope="${(policy.challengeScopes ?? policy.requiredScopes).join(' ')}"`,
  ];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description.replace(/"/g, "'")}"`);
  return `Bearer ${parts.join(', ')}`;
}

// RFC 6750 bearer checks for our own endpoints, with jose against our own JWKS: signature (ES256
// only, so `alg: none` and HMAC tricks fail), `typ: at+jwt`, issuer, audience, expiry, scope.
export async function verifyBearer(
  req: IncomingMessage,
  url: URL,
  policy: BearerPolicy,
): Promise<BearerResult> {
  const fail = (
    status: 401 | 403 | 400,
    error: 'invalid_token' | 'insufficient_scope' | 'invalid_request',
    description: string,
  ): BearerResult => ({
    ok: false,
    status,
    error,
    description,
    wwwAuthenticate: challenge(policy, error, description),
  });
  if (url.search !== '' && url.searchParams.has('access_token'))
    return fail(
      400,
      'invalid_request',
      'tokens in the query string are not accepted; use the Authorization header',
    );
  const header = req.headers.authorization;
  if (!header)
    return {
      ok: false,
      status: 401,
      error: 'invalid_token',
      description: 'no bearer token',
      wwwAuthenticate: challenge(policy),
    };
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(header);
  if (!match) return fail(401, 'invalid_token', 'the Authorization header is not "Bearer <token>"');
  let claims: JWTPayload;
  let granted: ReadonlySet<string>;
  const token = match[1]!;
  // Audience and issuer are part of what was checked: a token accepted for one resource says
  // nothing about another.
  const where = whereOf(policy);
  const cached = verified.get(token);
  if (
    cached &&
    cached.jwks === policy.jwks &&
    cached.where === where &&
    (cached.claims.exp ?? 0) > Date.now() / 1000
  ) {
    ({ claims, scopes: granted } = cached);
  } else
    try {
      ({ payload: claims } = await jwtVerify(token, keySetFor(policy.jwks), {
        issuer: policy.issuer,
        audience: policy.audience,
        algorithms: ['ES256'],
        typ: 'at+jwt',
        requiredClaims: ['exp', 'iat', 'jti', 'sub'],
      }));
      granted = grantedScopes(claims);
      remember(token, { claims, jwks: policy.jwks, where, scopes: granted });
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      const why: Record<string, string> = {
        ERR_JWT_EXPIRED: 'the token has expired',
        ERR_JWT_CLAIM_VALIDATION_FAILED: `the token is not for this resource or issuer (${(error as Error).message})`,
        ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'the token signature is invalid',
        ERR_JOSE_ALG_NOT_ALLOWED: 'the token is not signed with ES256',
        ERR_JWKS_NO_MATCHING_KEY: 'the token was not signed by this server',
      };
      return fail(401, 'invalid_token', why[code] ?? 'the token is malformed');
    }
  if (claims.jti && policy.isRevoked?.(claims.jti))
    return fail(401, 'invalid_token', 'the token has been revoked');
  const missing = policy.requiredScopes.filter((s) => !granted.has(s));
  if (missing.length > 0)
    return fail(403, 'insufficient_scope', `the token lacks the scope ${missing.join(' ')}`);
  return { ok: true, claims: claims as JWTPayload & { client_id?: string; scope?: string } };
}

// The bearer check every protected endpoint makes: a valid token of a client that still exists.
// On failure the RFC 6750 reply is sent and undefined returned.
export async function authorizeBearer(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  policy: BearerPolicy,
  isClientActive: (id: string) => boolean,
): Promise<{ clientId: string; claims: Extract<BearerResult, { ok: true }>['claims'] } | undefined> {
  const result = await verifyBearer(req, url, policy);
  if (!result.ok) {
    sendJson(
      res,
      result.status,
      { error: result.error, error_description: result.description },
      { 'www-authenticate': result.wwwAuthenticate },
    );
    return undefined;
  }
  const clientId = String(result.claims.client_id ?? result.claims.sub);
  if (!isClientActive(clientId)) {
    const description = 'the client this token was issued to has been revoked';
    sendJson(
      res,
      401,
      { error: 'invalid_token', error_description: description },
      { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` },
    );
    return undefined;
  }
  return { clientId, claims: result.claims };
}
