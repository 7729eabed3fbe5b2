import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EGRESS_PROXY_PROGRAM,
  egressProxyCommand,
  parseEgressRecord,
  type EgressRecord,
} from './egress-proxy-program';

const allows = runInNewContext(`${EGRESS_PROXY_PROGRAM}; allowsDestination`, { require, process }) as (
  patterns: string[],
  host: string,
  port: number,
) => boolean;

describe('the proxy’s allow-list', () => {
  it('takes host (80 and 443), host:port, and *.suffix (names under it only)', () => {
    expect(allows(['api.context7.com'], 'api.context7.com', 443)).toBe(true);
    expect(allows(['api.context7.com'], 'API.Context7.com.', 80)).toBe(true);
    expect(allows(['api.context7.com'], 'api.context7.com', 22)).toBe(false);
    expect(allows(['api.context7.com'], 'evil.api.context7.com', 443)).toBe(false);
    expect(allows(['db.internal:5432'], 'db.internal', 5432)).toBe(true);
    expect(allows(['db.internal:5432'], 'db.internal', 443)).toBe(false);
    expect(allows(['*.npmjs.org'], 'registry.npmjs.org', 443)).toBe(true);
    expect(allows(['*.npmjs.org'], 'npmjs.org', 443)).toBe(false);
    expect(allows(['*.npmjs.org'], 'evilnpmjs.org', 443)).toBe(false);
    expect(allows(['*.npmjs.org:8443'], 'a.npmjs.org', 8443)).toBe(true);
    expect(allows([], 'anything', 443)).toBe(false);
  });
});

const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  stops.push(() => server.close());
  return (server.address() as { port: number }).port;
}

// The program as its container runs it, here on loopback.
async function proxy(patterns: string[]) {
  const [command, ...args] = egressProxyCommand(patterns, 0);
  const child: ChildProcess = spawn(command === 'node' ? process.execPath : command!, args, {
    env: { MCP_DOCK_EGRESS_LISTEN: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  stops.push(() => child.kill());
  const records: EgressRecord[] = [];
  const lines = createInterface({ input: child.stdout! });
  const listening = new Promise<number>((resolve) =>
    lines.on('line', (line) => {
      const parsed = JSON.parse(line) as { event: string; port: number };
      if (parsed.event === 'listening') resolve(parsed.port);
      const record = parseEgressRecord(line);
      if (record) records.push(record);
    }),
  );
  return { port: await listening, records };
}

const get = (proxyPort: number, url: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: proxyPort, path: url, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });

const tunnel = (proxyPort: number, target: string) =>
  new Promise<string>((resolve, reject) => {
    const socket = connect(proxyPort, '127.0.0.1', () => {
      socket.write(`CONNECT ${target} HTTP/1.1\r\nhost: ${target}\r\n\r\n`);
    });
    let seen = '';
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.startsWith('HTTP/1.1 200') && seen.includes('\r\n\r\n') && !seen.includes('tunnel says')) {
        socket.write(`GET /through HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`);
      }
    });
    socket.on('end', () => resolve(seen));
    socket.on('error', reject);
  });

describe('the egress proxy program', () => {
  it('forwards HTTP and tunnels CONNECT to allowed destinations, refuses the rest, and says so line by line', async () => {
    const upstream = await listen(createServer((req, res) => res.end(`tunnel says ${req.url}`)));
    const { port, records } = await proxy([`127.0.0.1:${upstream}`]);

    expect(await get(port, `http://127.0.0.1:${upstream}/plain?q=1`)).toEqual({
      status: 200,
      body: 'tunnel says /plain?q=1',
    });
    const through = await tunnel(port, `127.0.0.1:${upstream}`);
    expect(through).toMatch(
      /^HTTP\/1\.1 200 Connection Established\r\n\r\nHTTP\/1\.1 200 OK[\s\S]*tunnel says \/through$/,
    );

    const refused = await get(port, 'http://evil.example/steal');
    expect(refused.status).toBe(403);
    expect(refused.body).toBe("MCP Dock egress proxy: evil.example:80 is not on this server's allow-list\n");
    expect(await tunnel(port, 'evil.example:443')).toMatch(/^HTTP\/1\.1 403 Forbidden/);
    expect((await get(port, '/not-absolute')).status).toBe(400);

    expect(records).toEqual([
      { event: 'allowed', host: '127.0.0.1', port: upstream },
      { event: 'allowed', host: '127.0.0.1', port: upstream },
      { event: 'denied', host: 'evil.example', port: 80 },
      { event: 'denied', host: 'evil.example', port: 443 },
    ]);
  });
});
