export const EGRESS_PROXY_PORT = 3128;

// The allow-listing proxy, as plain JavaScript for `node -e` in a container of its own (kept as
// text: a bundled function's text may call helpers that exist only in the bundle).
//
// HTTP requests in absolute form are forwarded; CONNECT (TLS) is tunnelled without being opened;
// anything to a destination off the list gets 403. Names are resolved here, at the proxy: the
// server's container has no DNS server it can reach. Each connection is one JSON line on stdout,
// which MCP Dock follows (counted when allowed, audited when refused).
//
// allowsDestination: a pattern is `host`, `host:port`, `*.suffix` or `*.suffix:port`
// (lowercase); one without a port allows the web's two, 80 and 443; `*.suffix` is any name under
// the suffix, not the suffix itself.
export const EGRESS_PROXY_PROGRAM = String.raw`
'use strict';
const http = require('node:http');
const net = require('node:net');
const dns = require('node:dns');
// Names resolved here are kept for 10 s: a server making many connections to one host does not
// wait for a DNS answer each time.
const resolved = new Map();
function cachedLookup(hostname, options, callback) {
  if (typeof options === 'function') [options, callback] = [{}, options];
  const key = hostname + '|' + JSON.stringify(options || {});
  const hit = resolved.get(key);
  if (hit && hit.until > Date.now()) return process.nextTick(() => callback(null, ...hit.answer));
  dns.lookup(hostname, options, (error, ...answer) => {
    if (!error) resolved.set(key, { until: Date.now() + 10000, answer });
    if (resolved.size > 1000) resolved.delete(resolved.keys().next().value);
    callback(error, ...answer);
  });
}
function allowsDestination(patterns, host, port) {
  const name = String(host).toLowerCase().replace(/\.$/, '');
  for (const pattern of patterns) {
    const colon = pattern.lastIndexOf(':');
    const hostPart = colon === -1 ? pattern : pattern.slice(0, colon);
    const ports = colon === -1 ? [80, 443] : [Number(pattern.slice(colon + 1))];
    if (!ports.includes(port)) continue;
    if (hostPart.startsWith('*.')) {
      if (name.endsWith(hostPart.slice(1)) && name.length > hostPart.length - 1) return true;
    } else if (name === hostPart) return true;
  }
  return false;
}
function run(patterns, port) {
  const say = (event, host, to) => process.stdout.write(JSON.stringify({ event, host, port: to }) + '\n');
  const refusal = (host, to) => 'MCP Dock egress proxy: ' + host + ':' + to + " is not on this server's allow-list\n";
  const server = http.createServer((req, res) => {
    let url;
    try {
      url = new URL(req.url || '');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('MCP Dock egress proxy: expected an absolute http:// URL\n');
      return;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const to = Number(url.port || 80);
    if (url.protocol !== 'http:' || !allowsDestination(patterns, host, to)) {
      say('denied', host, to);
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end(refusal(host, to));
      return;
    }
    say('allowed', host, to);
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const upstream = http.request({ host, port: to, method: req.method, path: url.pathname + url.search, headers, lookup: cachedLookup }, (answer) => {
      res.writeHead(answer.statusCode || 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    const target = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(req.url || '');
    const host = target ? target[1] : '';
    const to = target ? Number(target[2]) : 0;
    socket.on('error', () => socket.destroy());
    if (!target || !allowsDestination(patterns, host, to)) {
      say('denied', host, to);
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\n' + refusal(host, to));
      return;
    }
    say('allowed', host, to);
    socket.setNoDelay(true);
    const upstream = net.connect({ port: to, host, lookup: cachedLookup }, () => {
      upstream.setNoDelay(true);
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    socket.on('close', () => upstream.destroy());
  });
  server.listen(port, process.env.MCP_DOCK_EGRESS_LISTEN || '0.0.0.0', () => say('listening', '', server.address().port));
}
`;

// The proxy's command: the program with its allow-list (and port: 3128 in its container).
export function egressProxyCommand(patterns: readonly string[], port = EGRESS_PROXY_PORT): string[] {
  return ['node', '-e', `${EGRESS_PROXY_PROGRAM}\nrun(${JSON.stringify(patterns)}, ${port});`];
}

// One line the proxy printed, if it is one of its connection records.
export interface EgressRecord {
  event: 'allowed' | 'denied';
  host: string;
  port: number;
}

export function parseEgressRecord(line: string): EgressRecord | undefined {
  try {
    const value = JSON.parse(line) as Partial<EgressRecord>;
    if (
      (value.event === 'allowed' || value.event === 'denied') &&
      typeof value.host === 'string' &&
      typeof value.port === 'number'
    )
      return { event: value.event, host: value.host.slice(0, 253), port: value.port };
  } catch {
    // Not a record (the engine's own lines, a crash): ignored.
  }
  return undefined;
}
