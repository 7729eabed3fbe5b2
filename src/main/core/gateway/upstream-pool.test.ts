import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gatewaySettingsSchema } from '../../../shared/gateway';
import type { ServerView } from '../../../shared/servers';
import { securityConfigSchema } from '../../../shared/security';
import type { ContainerManager } from '../servers';
import { Fernet, generateFernetKey } from '../security/fernet';
import type { SecurityServices } from '../security/secure-tool';
import { createCallStats } from './call-stats';
import { GatewaySession } from './gateway-server';
import { createUpstreamPool, type UpstreamPool } from './upstream-pool';

// The pool on its raw upstream session, without Docker: a scripted MCP server behind the
// transport `openTransport` returns, and the gateway session in front, reached by the SDK client.

type Rpc = { id?: number; method?: string; params?: Record<string, unknown> };

class ScriptedServer implements Transport {
  onclose?: () => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly received: Rpc[] = [];
  tools = [{ name: 'echo', inputSchema: { type: 'object' } }];

  async start(): Promise<void> {}
  async close(): Promise<void> {
    this.onclose?.();
  }
  async send(message: JSONRPCMessage): Promise<void> {
    const rpc = message as Rpc;
    this.received.push(rpc);
    if (rpc.id === undefined || !rpc.method) return;
    const reply = (result: unknown) =>
      queueMicrotask(() => this.onmessage?.({ jsonrpc: '2.0', id: rpc.id!, result } as JSONRPCMessage));
    if (rpc.method === 'initialize')
      reply({
        protocolVersion: '2025-11-25',
        capabilities: { tools: { listChanged: true } },
        serverInfo: { name: 's', version: '1' },
      });
    else if (rpc.method === 'tools/list') reply({ tools: this.tools });
    else if (rpc.method === 'tools/call') reply({ content: [{ type: 'text', text: 'done' }] });
  }
  notify(method: string): void {
    this.onmessage?.({ jsonrpc: '2.0', method } as JSONRPCMessage);
  }
}

function containersWith(upstream: ScriptedServer): ContainerManager {
  const view = {
    spec: { name: 'demo', mode: 'exec' },
    health: { status: 'ready' },
    container: { state: 'running' },
  } as unknown as ServerView;
  return {
    list: () => [view],
    containerId: () => 'c1',
    onChanged: () => () => undefined,
    openTransport: async () => upstream,
  } as unknown as ContainerManager;
}

const security: SecurityServices = {
  policyContext: () => ({
    scanner: { scan: () => ({ findings: [], timedOut: false }) },
    fernet: () => new Fernet(generateFernetKey()),
    threshold: 0.5,
    timeBudgetMs: 100,
  }),
  config: () => securityConfigSchema.parse({}),
  audit: async () => undefined,
  auditReady: async () => undefined,
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function ready(upstream: ScriptedServer): Promise<UpstreamPool> {
  const pool = createUpstreamPool({ containers: containersWith(upstream) });
  closers.push(() => pool.close());
  await vi.waitFor(() => expect(pool.list()[0]?.state).toBe('ready'));
  return pool;
}

describe('the upstream pool', () => {
  it('connects as the gateway with no client capabilities, and lists the server’s tools', async () => {
    const upstream = new ScriptedServer();
    const pool = await ready(upstream);
    expect(upstream.received[0]).toMatchObject({
      method: 'initialize',
      params: { capabilities: {}, clientInfo: { name: 'mcp-dock-gateway' } },
    });
    expect(upstream.received[1]).toEqual({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(pool.list()[0]!.tools.map((t) => t.name)).toEqual(['echo']);
  });

  it('re-reads the lists when the server says its tools changed', async () => {
    const upstream = new ScriptedServer();
    const pool = await ready(upstream);
    const changed = vi.fn();
    pool.onChanged(changed);
    upstream.tools = [...upstream.tools, { name: 'more', inputSchema: { type: 'object' } }];
    upstream.notify('notifications/tools/list_changed');
    await vi.waitFor(() => expect(pool.list()[0]!.tools.map((t) => t.name)).toEqual(['echo', 'more']));
    expect(changed).toHaveBeenCalled();
  });

  it('passes a caller’s request _meta through the gateway to the server', async () => {
    const upstream = new ScriptedServer();
    const pool = await ready(upstream);
    const session = new GatewaySession(
      {
        pool,
        settings: () => gatewaySettingsSchema.parse({}),
        security,
        createOwnTools: () => new McpServer({ name: 'own', version: '1' }),
        ownToolList: async () => [],
        local: { clientId: 'local', userId: 'me', scopes: ['mcp.access', 'mcp:servers'] },
        stats: createCallStats(),
      },
      undefined,
    );
    closers.push(() => session.close());
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await session.connect(serverSide);
    const client = new Client({ name: 'c', version: '1' });
    await client.connect(clientSide);
    closers.push(() => client.close());

    await client.callTool({
      name: 'demo__echo',
      arguments: {},
      _meta: { traceId: 'trace-1', 'x.io/k': [1] },
    });
    const call = upstream.received.find((m) => m.method === 'tools/call');
    expect(call?.params).toEqual({
      name: 'echo',
      arguments: {},
      _meta: { traceId: 'trace-1', 'x.io/k': [1] },
    });
  });
});
