import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ParsedUrlQuery } from 'node:querystring';
import type { AttemptThrottle } from './attempt-throttle';
import { hashClientSecret, verifyClientSecret } from './client-secret-hash';

export interface ClientAuthLimits {
  // Failed client authentications allowed per client id, and per source address, in a minute.
  failedPerClientPerMinute: number;
  failedPerSourcePerMinute: number;
}

export interface ClientAuthenticationOptions {
  // The stored (or metadata-document) client, as oidc-provider's adapter returns it.
  findClient: (clientId: string) => Promise<Record<string, unknown> | undefined>;
  throttle: AttemptThrottle;
  limits: () => ClientAuthLimits;
  // The hash check; tests watch which hashes a request pays for.
  verify?: (stored: string, presented: string) => Promise<boolean>;
}

export interface AuthenticatedClient {
  clientId: string;
  confidential: boolean;
  // What the client presented, so oidc-provider's own check of the same request need not pay
  // for the hash again.
  secret?: string;
}

export interface ClientRefusal {
  status: 400 | 401 | 429;
  error: 'invalid_request' | 'invalid_client' | 'temporarily_unavailable';
  description: string;
  retryAfterS?: number;
}

const refuse = (
  status: ClientRefusal['status'],
  error: ClientRefusal['error'],
  description: string,
): ClientRefusal => ({ status, error, description });

// Every refusal reads the same whatever went wrong (unknown id, wrong secret, wrong method), so
// the answer does not tell which client ids exist.
const FAILED = refuse(401, 'invalid_client', 'client authentication failed');

// RFC 6749 §2.3.1: the id and secret in a Basic header are form-urlencoded first.
function decodeBasicPart(part: string): string {
  return decodeURIComponent(part.replace(/\+/g, '%20'));
}

// client_secret_basic, client_secret_post, or client_id alone (public clients).
export function readClientCredentials(
  req: IncomingMessage,
  form: ParsedUrlQuery,
): { clientId?: string; secret?: string } | ClientRefusal {
  const posted = (name: string) => {
    const value = form[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  let clientId = posted('client_id');
  let secret = posted('client_secret');
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header);
    if (!match)
      return refuse(400, 'invalid_request', 'the Authorization header must be "Basic <base64(id:secret)>"');
    if (secret !== undefined)
      return refuse(
        400,
        'invalid_request',
        'send the client secret once: in the Authorization header or the body',
      );
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0)
      return refuse(400, 'invalid_request', 'the Authorization header must be "Basic <base64(id:secret)>"');
    let basicId: string;
    try {
      basicId = decodeBasicPart(decoded.slice(0, colon));
      secret = decodeBasicPart(decoded.slice(colon + 1));
    } catch {
      return refuse(
        400,
        'invalid_request',
        'the client id and secret in the Authorization header are not properly %-encoded (RFC 6749 §2.3.1)',
      );
    }
    if (clientId !== undefined && clientId !== basicId)
      return refuse(
        400,
        'invalid_request',
        'the client_id in the body differs from the one in the Authorization header',
      );
    clientId = basicId;
    if (!secret) return refuse(400, 'invalid_request', 'the Authorization header holds no client secret');
  }
  return { ...(clientId ? { clientId } : {}), ...(secret ? { secret } : {}) };
}

// A stand-in for a stored scrypt hash, checked whenever a secret was presented and no scrypt
// check happened: an unknown client id, a public client, or a client whose secret MCP Dock made
// (one fast HMAC) then cost what a user-chosen secret costs, so timing does not tell them apart.
let standIn: Promise<string> | undefined;
const standInHash = () => (standIn ??= hashClientSecret(randomBytes(32).toString('base64url')));

export function sourceOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

// Authenticates the client of a token, introspection or revocation request. Failed attempts are
// counted per client id and per source address; past the limit the request is refused with 429
// before any secret is checked. A success gives its reservation back, so a client that knows its
// secret is never slowed down by its own traffic.
export async function authenticateClient(
  req: IncomingMessage,
  form: ParsedUrlQuery,
  options: ClientAuthenticationOptions,
): Promise<AuthenticatedClient | ClientRefusal> {
  const credentials = readClientCredentials(req, form);
  if ('status' in credentials) return credentials;
  const { clientId, secret } = credentials;
  if (!clientId)
    return refuse(400, 'invalid_request', 'no client authentication: send client_id (and client_secret)');
  const limits = options.limits();
  const decision = await options.throttle.acquire([
    { key: `client:${clientId}`, perMinute: limits.failedPerClientPerMinute },
    { key: `source:${sourceOf(req)}`, perMinute: limits.failedPerSourcePerMinute },
  ]);
  if (!decision.ok) {
    const subject = decision.key.startsWith('client:') ? `client ${clientId}` : 'this address';
    return {
      status: 429,
      error: 'temporarily_unavailable',
      description: `too many failed client authentications for ${subject}; try again in ${decision.retryAfterS} s`,
      retryAfterS: decision.retryAfterS,
    };
  }
  let result: AuthenticatedClient | undefined;
  try {
    result = await check(clientId, secret, options);
  } finally {
    decision.settle(result === undefined);
  }
  return result ?? FAILED;
}

async function check(
  clientId: string,
  secret: string | undefined,
  options: ClientAuthenticationOptions,
): Promise<AuthenticatedClient | undefined> {
  const verify = options.verify ?? verifyClientSecret;
  const client = await options.findClient(clientId).catch(() => undefined);
  const stored = typeof client?.client_secret === 'string' ? client.client_secret : undefined;
  const isPublic = client?.token_endpoint_auth_method === 'none';
  if (secret === undefined) return client && isPublic ? { clientId, confidential: false } : undefined;
  if (client && !isPublic && stored) {
    const matches = await verify(stored, secret);
    if (matches) return { clientId, confidential: true, secret };
    if (stored.startsWith('scrypt$')) return undefined;
  }
  await verify(await standInHash(), secret);
  return undefined;
}

// Made ahead of the first failed authentication, so that one costs what the others do.
export function prepareClientAuthentication(): void {
  void standInHash();
}

export function sendClientRefusal(res: ServerResponse, refusal: ClientRefusal): void {
  res.writeHead(refusal.status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    // RFC 6749 §5.2: a failed client authentication names the scheme to use.
    ...(refusal.status === 401 ? { 'www-authenticate': 'Basic realm="MCP Dock"' } : {}),
    // RFC 6585 §4.
    ...(refusal.retryAfterS !== undefined ? { 'retry-after': String(refusal.retryAfterS) } : {}),
  });
  res.end(JSON.stringify({ error: refusal.error, error_description: refusal.description }));
}
