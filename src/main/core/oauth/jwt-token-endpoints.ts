import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ParsedUrlQuery } from 'node:querystring';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { verifyClientSecret } from './client-secret-hash';
import type { OAuthStore } from './file-adapter';

// oidc-provider refuses to introspect or revoke JWT access tokens (it keeps no record of them).
// MCP Dock records every one it issues (ISSUED) and every revoked one (REVOKED), keyed by jti and
// kept until the token would expire anyway, and answers RFC 7662 / RFC 7009 for them here.
export const ISSUED = 'IssuedAccessToken';
export const REVOKED = 'RevokedAccessToken';

export interface JwtEndpointsOptions {
  issuer: string;
  jwks: JSONWebKeySet;
  store: OAuthStore;
}

type Caller = { clientId: string; confidential: boolean };

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

// RFC 6749 §5.2: failed client authentication is 401 invalid_client with a Basic challenge.
function refuseClient(res: ServerResponse, description: string): void {
  send(
    res,
    401,
    { error: 'invalid_client', error_description: description },
    { 'www-authenticate': 'Basic realm="MCP Dock"' },
  );
}

export function looksLikeJwt(token: unknown): token is string {
  return typeof token === 'string' && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}

// client_secret_basic or client_secret_post for confidential clients; client_id alone for public ones.
async function authenticate(
  req: IncomingMessage,
  form: ParsedUrlQuery,
  store: OAuthStore,
): Promise<Caller | undefined> {
  let clientId = typeof form.client_id === 'string' ? form.client_id : undefined;
  let secret = typeof form.client_secret === 'string' ? form.client_secret : undefined;
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    clientId = decodeURIComponent(decoded.slice(0, colon));
    secret = decodeURIComponent(decoded.slice(colon + 1));
  }
  if (!clientId) return undefined;
  const client = store.get('Client', clientId);
  if (!client) return undefined;
  if (client.token_endpoint_auth_method === 'none')
    return secret ? undefined : { clientId, confidential: false };
  if (!secret || typeof client.client_secret !== 'string') return undefined;
  return (await verifyClientSecret(client.client_secret, secret))
    ? { clientId, confidential: true }
    : undefined;
}

// Revoked by jti, or issued under a grant that no longer exists: however a grant ended, its
// tokens end with it (checked per request at /hello and /mcp, so two map lookups).
export function isRevokedJti(store: OAuthStore, jti: string): boolean {
  if (store.get(REVOKED, jti)) return true;
  const grantId = store.get(ISSUED, jti)?.grantId;
  return typeof grantId === 'string' && !store.get('Grant', grantId);
}

export function isActiveJti(store: OAuthStore, jti: string): boolean {
  return Boolean(store.get(ISSUED, jti)) && !isRevokedJti(store, jti);
}

async function verified(token: string, options: JwtEndpointsOptions): Promise<JWTPayload | undefined> {
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(options.jwks), {
      issuer: options.issuer,
      algorithms: ['ES256'],
      typ: 'at+jwt',
    });
    return payload;
  } catch {
    return undefined;
  }
}

export async function introspectJwt(
  req: IncomingMessage,
  res: ServerResponse,
  form: ParsedUrlQuery,
  options: JwtEndpointsOptions,
): Promise<void> {
  const caller = await authenticate(req, form, options.store);
  if (!caller || !caller.confidential) {
    refuseClient(res, "introspection needs a confidential client's credentials");
    return;
  }
  const claims = await verified(String(form.token), options);
  if (
    !claims?.jti ||
    !isActiveJti(options.store, claims.jti) ||
    !options.store.get('Client', String(claims.client_id))
  ) {
    send(res, 200, { active: false });
    return;
  }
  const { iss, sub, aud, exp, iat, jti, scope, client_id } = claims as JWTPayload & {
    scope?: string;
    client_id?: string;
  };
  send(res, 200, { active: true, token_type: 'Bearer', iss, sub, aud, exp, iat, jti, scope, client_id });
}

export async function revokeJwt(
  req: IncomingMessage,
  res: ServerResponse,
  form: ParsedUrlQuery,
  options: JwtEndpointsOptions,
): Promise<void> {
  const caller = await authenticate(req, form, options.store);
  if (!caller) {
    refuseClient(res, 'client authentication failed');
    return;
  }
  const claims = await verified(String(form.token), options);
  // RFC 7009: a client may revoke only its own tokens, and an unknown token is not an error.
  if (claims?.jti && claims.client_id === caller.clientId && typeof claims.exp === 'number') {
    const ttl = Math.max(1, claims.exp - Math.floor(Date.now() / 1000));
    await new options.store.Adapter(REVOKED).upsert(
      claims.jti,
      { jti: claims.jti, clientId: caller.clientId },
      ttl,
    );
  }
  res.writeHead(200, { 'cache-control': 'no-store' });
  res.end();
}
