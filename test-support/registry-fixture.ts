import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A registry speaking the MCP Registry API's shapes on 127.0.0.1 (GET /v0.1/servers with search,
// cursor and limit; `{ servers: [{ server, _meta }], metadata: { nextCursor, count } }`), over
// the entries a test gives it. `broken` makes it answer what real outages look like.
export interface RegistryFixture {
  url: string;
  requests: string[];
  broken(mode: 'not-json' | 'no-servers' | 'http-500' | undefined): void;
  close(): Promise<void>;
}

export type ServerJson = Record<string, unknown> & { name: string; description: string };

export async function startRegistryFixture(entries: ServerJson[]): Promise<RegistryFixture> {
  const requests: string[] = [];
  let mode: 'not-json' | 'no-servers' | 'http-500' | undefined;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (mode === 'http-500') return void res.writeHead(500).end('oops');
    if (req.method !== 'GET' || url.pathname !== '/v0.1/servers') return void res.writeHead(404).end();
    if (mode === 'not-json')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>');
    if (mode === 'no-servers')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
    const search = (url.searchParams.get('search') ?? '').toLowerCase();
    const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 30));
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const found = entries.filter(
      (e) => !search || e.name.toLowerCase().includes(search) || e.description.toLowerCase().includes(search),
    );
    const page = found.slice(start, start + limit);
    const next = start + limit < found.length ? String(start + limit) : undefined;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        servers: page.map((e) => ({
          server: e,
          _meta: { 'io.modelcontextprotocol.registry/official': { status: 'active', isLatest: true } },
        })),
        metadata: { count: page.length, ...(next ? { nextCursor: next } : {}) },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    broken: (m) => void (mode = m),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// Filler entries, for listings of a realistic size.
export function fillerEntries(count: number): ServerJson[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `io.example.filler/server-${i}`,
    description: `Filler server number ${i} for ${i % 2 ? 'weather' : 'notes'} data`,
    version: '1.0.0',
    packages: [
      {
        registryType: 'npm',
        identifier: `@filler/server-${i}`,
        version: '1.0.0',
        transport: { type: 'stdio' },
      },
    ],
  }));
}
