import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

export interface RemoteMcpServerOptions {
  // streamable: the SDK's Streamable HTTP server at /mcp. sse: only the legacy HTTP+SSE transport,
  // GET /sse and POST /messages (a POST to /sse gets 405, as from such servers).
  kind: 'streamable' | 'sse';
  // Every request must carry this header with this value (else 401).
  requireHeader?: { name: string; value: string };
  // Checks the Authorization header (OAuth-protected servers); answers whether to let it in, or
  // the response to send instead.
  authorize?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  // Extra routes (protected-resource metadata) tried before MCP's.
  routes?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
  port?: number;
  name?: string;
}

export interface RemoteMcpServer {
  url: string;
  port: number;
  // What the tools saw: the value of the header they echo.
  requests: number;
  // Answer garbage (HTTP 200, JSON content type, not JSON) from now on.
  garble(on: boolean): void;
  // Answer every request after this many ms.
  delay(ms: number): void;
  close(): Promise<void>;
}

// A request's JSON body (undefined when empty).
export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined);
      } catch (error) {
        reject(error as Error);
      }
    });
    req.on('error', reject);
  });
}

function mcpServer(name: string, req: () => IncomingMessage | undefined): McpServer {
  const mcp = new McpServer({ name, version: '1.2.3' });
  mcp.registerTool(
    'echo',
    { description: 'Echoes the message', inputSchema: { message: z.string() } },
    async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }),
  );
  mcp.registerTool('whoami', { description: 'Says which bearer token the call came with' }, async () => ({
    content: [{ type: 'text', text: `auth: ${req()?.headers.authorization ?? 'none'}` }],
  }));
  return mcp;
}

// A remote MCP server on 127.0.0.1 for tests: the MCP SDK's own server transports, code we did
// not write, behind optional auth, with switches for the failures a remote can have.
export async function startRemoteMcpServer(options: RemoteMcpServerOptions): Promise<RemoteMcpServer> {
  const streams = new Map<string, StreamableHTTPServerTransport>();
  const legacy = new Map<string, SSEServerTransport>();
  let garbled = false;
  let delayMs = 0;
  let lastReq: IncomingMessage | undefined;
  const state = { requests: 0 };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    state.requests++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (options.routes?.(req, res, url)) return;
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    if (
      options.requireHeader &&
      req.headers[options.requireHeader.name.toLowerCase()] !== options.requireHeader.value
    ) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    if (options.authorize && !(await options.authorize(req, res))) return;
    lastReq = req;
    if (garbled && req.method === 'POST') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('<html>this is not JSON-RPC</html>');
      return;
    }
    if (options.kind === 'sse') {
      if (url.pathname === '/sse' && req.method === 'GET') {
        const transport = new SSEServerTransport('/messages', res);
        legacy.set(transport.sessionId, transport);
        res.on('close', () => legacy.delete(transport.sessionId));
        await mcpServer(options.name ?? 'remote-sse', () => lastReq).connect(transport);
        return;
      }
      if (url.pathname === '/messages' && req.method === 'POST') {
        const transport = legacy.get(url.searchParams.get('sessionId') ?? '');
        if (!transport) return void res.writeHead(404).end();
        await transport.handlePostMessage(req, res, await readJsonBody(req));
        return;
      }
      res.writeHead(url.pathname === '/sse' ? 405 : 404, { allow: 'GET' }).end();
      return;
    }
    if (url.pathname !== '/mcp') return void res.writeHead(404).end();
    const parsed = req.method === 'POST' ? await readJsonBody(req) : undefined;
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? streams.get(id) : undefined;
    if (!transport) {
      if (typeof id === 'string') return void res.writeHead(404).end('{"error":"session not found"}');
      if (req.method !== 'POST' || !isInitializeRequest(parsed)) return void res.writeHead(400).end();
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sid) => void streams.set(sid, created),
      });
      created.onclose = () => {
        if (created.sessionId) streams.delete(created.sessionId);
      };
      await mcpServer(options.name ?? 'remote-streamable', () => lastReq).connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res, parsed);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${options.kind === 'sse' ? '/sse' : '/mcp'}`,
    port,
    get requests() {
      return state.requests;
    },
    garble: (on) => void (garbled = on),
    delay: (ms) => void (delayMs = ms),
    async close() {
      for (const t of streams.values()) await t.close().catch(() => undefined);
      for (const t of legacy.values()) await t.close().catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
