import type { IncomingMessage } from 'node:http';

// Names that can only mean this machine. A page on evil.example that rebinds its DNS to
// 127.0.0.1 still sends `Host: evil.example`, which is how we tell it apart.
const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader.trim().toLowerCase());
  if (!match) return false;
  const [, name, hostPort] = match;
  if (!name || !LOOPBACK_HOSTNAMES.has(name)) return false;
  return Number(hostPort ?? 80) === port;
}

// The origins our own pages have: any loopback name on our port, over http.
export function isOwnOrigin(origin: string, port: number): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:') return false;
  if (url.pathname !== '/' || url.username || url.password) return false;
  return isLoopbackHost(url.host, port);
}

export type GuardVerdict = { ok: true } | { ok: false; status: 403; reason: string };

export function checkHostAndOrigin(
  req: IncomingMessage,
  port: number,
  { requireOrigin }: { requireOrigin: boolean },
): GuardVerdict {
  if (!isLoopbackHost(req.headers.host, port)) {
    return { ok: false, status: 403, reason: 'Host header is not a loopback name for this server' };
  }
  const origin = req.headers.origin;
  if (origin === undefined) {
    return requireOrigin ? { ok: false, status: 403, reason: 'Origin header missing' } : { ok: true };
  }
  if (!isOwnOrigin(origin, port)) return { ok: false, status: 403, reason: 'Origin is not this server' };
  return { ok: true };
}
