import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { readJsonBody } from '../test-support/remote-mcp-server';

// A reference for the gateway benchmark: the MCP SDK's own Streamable HTTP server answering
// `echo` in process, with no container, no upstream and no security. What is left is the cost of
// a Streamable HTTP hop with the SDK on both ends, which every HTTP path in the benchmark pays.

const transports = new Map<string, StreamableHTTPServerTransport>();
const server = createServer((req, res) => {
  void (async () => {
    const parsed = req.method === 'POST' ? await readJsonBody(req) : undefined;
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? transports.get(id) : undefined;
    if (!transport) {
      if (req.method !== 'POST' || !isInitializeRequest(parsed)) {
        res.writeHead(400).end();
        return;
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: process.argv.includes('--json'),
        onsessioninitialized: (sid) => void transports.set(sid, created),
      });
      const mcp = new McpServer({ name: 'sdk-echo', version: '1.0.0' });
      mcp.registerTool('echo', { inputSchema: { message: z.string() } }, async ({ message }) => ({
        content: [{ type: 'text', text: `Echo: ${message}` }],
      }));
      await mcp.connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res, parsed);
  })().catch(() => res.writeHead(500).end());
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}/mcp` })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
