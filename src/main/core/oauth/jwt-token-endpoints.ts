import type { ServerResponse } from 'node:http';
import type { ParsedUrlQuery } from 'node:querystring';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { OAuthStore } from './file-adapter';
import { isActiveJti, isRevokedJti, REVOKED } from './token-models';

// oidc-provider refuses to introspect or revoke JWT access tokens (it keeps no record of them).
// MCP Dock records every one it issues (ISSUED) and every revoked one (REVOKED), keyed by jti and
// kept until the token would expire anyway, and answers RFC 7662 / RFC 7009 for them here.

export interface JwtEndpointsOptions {
  issuer: string;
  jwks: JSONWebKeySet;
  store: OAuthStore;
}

// Authenticated before these run (client-authentication.ts), with the same throttling as the
// token endpoint.
export type Caller = { clientId: string; confidential: boolean };

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

// Kept with the token models (which need no jose), so the client admin loads without it; still
// reachable here for the modules that check bearer tokens.
export { isActiveJti, isRevokedJti };

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
  caller: Caller,
  res: ServerResponse,
  form: ParsedUrlQuery,
  options: JwtEndpointsOptions,
  headers: Record<string, string> = {},
): Promise<void> {
  if (!caller.confidential) {
    refuseClient(res, "introspection needs a confidential client's credentials");
    return;
  }
  const claims = await verified(String(form.token), options);
  // A client learns about its own tokens only: MCP Dock's resources check tokens themselves, so
  // no client introspects for another.
  if (
    !claims?.jti ||
    claims.client_id !== caller.clientId ||
    !isActiveJti(options.store, claims.jti) ||
    !options.store.get('Client', String(claims.client_id))
  ) {
    send(res, 200, { active: false }, headers);
    return;
  }
  const { iss, sub, aud, exp, iat, jti, scope, client_id } = claims as JWTPayload & {
    scope?: string;
    client_id?: string;
  };
  send(
    res,
    200,
    { active: true, token_type: 'Bearer', iss, sub, aud, exp, iat, jti, scope, client_id },
    headers,
  );
}

export async function revokeJwt(
  caller: Caller,
  res: ServerResponse,
  form: ParsedUrlQuery,
  options: JwtEndpointsOptions,
  headers: Record<string, string> = {},
): Promise<void> {
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
  res.writeHead(200, { 'cache-control': 'no-store', ...headers });
  res.end();
}
