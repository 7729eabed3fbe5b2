import { lookup as dnsLookup } from 'node:dns/promises';
import { request } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { ClientMetadataError } from './oauth-errors';
import { UNNAMED_SCOPES } from './scopes';
import { checkRedirectUris } from './redirect-uris';

// Client ID Metadata Documents: an MCP client may use an https URL as its client_id, and the
// document at that URL is its registration. Fetching a URL a stranger chose is a server-side request
// forgery risk, so the fetch is narrow: https only, every resolved address public, connect to the
// address we checked (no second lookup to rebind), no redirects, small, quick, JSON.

export interface MetadataFetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
  // Tests swap these; nothing user-facing does.
  lookup?: (hostname: string) => Promise<Array<{ address: string; family: number }>>;
  isAllowedAddress?: (address: string) => boolean;
  ca?: string | Buffer;
}

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
// IPv6 must be global unicast (2000::/3), outside these special-purpose blocks: the IETF
// protocol block (Teredo included, whose client address is obfuscated), documentation.
const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');
const blockedV6 = new BlockList();
for (const [net, prefix] of [
  ['2001::', 23],
  ['2001:db8::', 32],
  ['3fff::', 20],
] as const) {
  blockedV6.addSubnet(net, prefix, 'ipv6');
}

// The eight 16-bit groups of an address isIP accepted as IPv6; a trailing dotted quad is two.
function ipv6Groups(address: string): number[] {
  const parse = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a, b, c, d] = group.split('.').map(Number) as [number, number, number, number];
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head = '', tail] = address.split('::');
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

const dotted = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;

// The IPv4 address an IPv6 address carries, in the forms a connect reaches as that IPv4 host:
// IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96, SIIT ::ffff:0:0:0/96, NAT64 64:ff9b::/96
// and 6to4 2002::/16 (whose relay forwards to the embedded address).
function embeddedIPv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && (g[5] === 0 || g[5] === 0xffff)) return dotted(g[6]!, g[7]!);
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return dotted(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return dotted(g[6]!, g[7]!);
  if (g[0] === 0x2002) return dotted(g[1]!, g[2]!);
  return undefined;
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return !blocked.check(address, 'ipv4');
  // A zone index belongs to link-local addresses only.
  if (address.includes('%')) return false;
  const v4 = embeddedIPv4(address);
  if (v4 !== undefined) return isPublicAddress(v4);
  return globalUnicast.check(address, 'ipv6') && !blockedV6.check(address, 'ipv6');
}

export function looksLikeMetadataUrl(clientId: string): boolean {
  return clientId.startsWith('https://');
}

export async function fetchClientMetadata(
  url: string,
  options: MetadataFetchOptions = {},
): Promise<Record<string, unknown>> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ClientMetadataError('the client_id is not a URL');
  }
  if (parsed.protocol !== 'https:')
    throw new ClientMetadataError('a client metadata document must be served over https');
  if (parsed.username || parsed.password || parsed.hash)
    throw new ClientMetadataError('the client_id URL must not carry credentials or a fragment');
  if (parsed.pathname === '/' || parsed.pathname === '')
    throw new ClientMetadataError('the client_id URL must have a path');

  const hostname = parsed.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(hostname)
    ? [{ address: hostname, family: isIP(hostname) }]
    : await (options.lookup ?? ((h) => dnsLookup(h, { all: true })))(hostname).catch((error: Error) => {
        throw new ClientMetadataError(error.message, { cause: error });
      });
  const allowed = options.isAllowedAddress ?? isPublicAddress;
  if (addresses.length === 0) throw new ClientMetadataError(`${hostname} does not resolve`);
  for (const { address } of addresses) {
    if (!allowed(address))
      throw new ClientMetadataError(`${hostname} resolves to ${address}, which is not a public address`);
  }
  const target = addresses[0]!;
  const maxBytes = options.maxBytes ?? 64 * 1024;

  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.address,
        family: target.family,
        port: parsed.port || 443,
        path: `${parsed.pathname}${parsed.search}`,
        method: 'GET',
        servername: isIP(hostname) ? undefined : hostname,
        headers: { host: parsed.host, accept: 'application/json' },
        timeout: options.timeoutMs ?? 5000,
        ...(options.ca ? { ca: options.ca } : {}),
      },
      (res) => {
        if ((res.statusCode ?? 0) >= 300 && (res.statusCode ?? 0) < 400) {
          res.resume();
          reject(
            new ClientMetadataError('the client metadata document redirects; redirects are not followed'),
          );
          return;
        }
        if (res.statusCode !== 200) {
          res.resume();
          reject(new ClientMetadataError(`the client metadata document answered HTTP ${res.statusCode}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy();
            reject(new ClientMetadataError(`the client metadata document is larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          let value: unknown;
          try {
            value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            value = undefined;
          }
          if (typeof value !== 'object' || value === null || Array.isArray(value))
            reject(new ClientMetadataError('the client metadata document is not a JSON object'));
          else resolve(value as Record<string, unknown>);
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new ClientMetadataError('the client metadata document did not arrive in time')),
    );
    // A timeout arrives here as the error it was destroyed with; a network failure (refused,
    // reset, TLS) keeps its own message and becomes the cause.
    req.on('error', (error) =>
      reject(
        error instanceof ClientMetadataError
          ? error
          : new ClientMetadataError(error.message, { cause: error }),
      ),
    );
    req.end();
  });
}

// The document becomes a public client's registration, under the same rules as dynamic
// registration (loopback-or-https redirect URIs, no secrets, code and refresh grants only).
export function metadataToClient(url: string, document: Record<string, unknown>): Record<string, unknown> {
  if (document.client_id !== url)
    throw new ClientMetadataError("the document's client_id is not the URL it was fetched from");
  const problem = checkRedirectUris(document.redirect_uris);
  if (problem) throw new ClientMetadataError(problem);
  const method = document.token_endpoint_auth_method;
  if (method !== undefined && method !== 'none')
    throw new ClientMetadataError('only public clients (token_endpoint_auth_method "none") are supported');
  const grants = (document.grant_types as unknown[] | undefined) ?? ['authorization_code', 'refresh_token'];
  if (!Array.isArray(grants) || grants.some((g) => g !== 'authorization_code' && g !== 'refresh_token')) {
    throw new ClientMetadataError('grant_types may be authorization_code and refresh_token only');
  }
  const scope = document.scope;
  if (scope !== undefined && typeof scope !== 'string')
    throw new ClientMetadataError('scope must be a string of space-separated scopes');
  return {
    client_id: url,
    ...(typeof document.client_name === 'string' ? { client_name: document.client_name.slice(0, 200) } : {}),
    // What it may ask for, as for a client that registered itself.
    scope: scope?.trim() ? scope : UNNAMED_SCOPES.join(' '),
    redirect_uris: document.redirect_uris,
    grant_types: grants,
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    id_token_signed_response_alg: 'ES256',
  };
}

// Fetched documents are cached briefly (and failures more briefly) so one login does not fetch
// the same document for every step.
export function createMetadataResolver(
  options: MetadataFetchOptions = {},
  ttlMs = 5 * 60_000,
  failureTtlMs = 30_000,
) {
  const cache = new Map<string, { until: number; client?: Record<string, unknown>; error?: string }>();
  return {
    async resolve(url: string): Promise<Record<string, unknown> | undefined> {
      const hit = cache.get(url);
      if (hit && hit.until > Date.now()) return hit.client;
      try {
        const client = metadataToClient(url, await fetchClientMetadata(url, options));
        cache.set(url, { until: Date.now() + ttlMs, client });
        return client;
      } catch (error) {
        cache.set(url, { until: Date.now() + failureTtlMs, error: (error as Error).message });
        return undefined;
      }
    },
    lastError: (url: string) => cache.get(url)?.error,
  };
}
