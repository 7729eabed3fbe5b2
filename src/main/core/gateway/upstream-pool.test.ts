import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScriptedUpstream, scriptedContainers } from '../../../../test-support/scripted-upstream';
import { gatewaySettingsSchema } from '../../../shared/gateway';
import { securityConfigSchema } from '../../../shared/security';
import { Fernet, generateFernetKey } from '../security/fernet';
import type { SecurityServices } from '../security/secure-tool';
import { createCallStats } from './call-stats';
import { GatewaySession } from './gateway-server';
import { containerSource } from './upstream-source';
import { createUpstreamPool } from './upstream-pool';
import { tempTrust } from '../../../../test-support/temp-pins';

// The pool on its raw upstream session, without Docker: a scripted MCP server behind the
// transport `openTransport` returns, and the gateway session in front, reached by the SDK client.

const TOOLS = [{ name: 'echo', inputSchema: { type: 'object' } }];
function scripted(tools = TOOLS) {
  return new ScriptedUpstream(
    {
      'tools/list': () => ({ tools }),
      'tools/call': () => ({ content: [{ type: 'text', text: 'done' }] }),
    },
    { tools: { listChanged: true } },
  );
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

async function ready(make: () => ScriptedUpstream = scripted) {
  const { containers, opened } = scriptedContainers('demo', make);
  const pool = createUpstreamPool({ source: containerSource(containers) });
  closers.push(() => pool.close());
  await vi.waitFor(() => expect(pool.list()[0]?.state).toBe('ready'));
  return { pool, opened };
}

describe('the upstream pool', () => {
  it('connects as the gateway with no client capabilities, and lists the server’s tools', async () => {
    const { pool, opened } = await ready();
    const upstream = opened[0]!;
    expect(upstream.received[0]).toMatchObject({
      method: 'initialize',
      params: { capabilities: {}, clientInfo: { name: 'mcp-dock-gateway' } },
    });
    expect(upstream.received[1]).toEqual({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(pool.list()[0]!.tools.map((t) => t.name)).toEqual(['echo']);
  });

  it('re-reads the lists when the server says its tools changed', async () => {
    const tools = [...TOOLS];
    const { pool, opened } = await ready(() => scripted(tools));
    const upstream = opened[0]!;
    const changed = vi.fn();
    pool.onChanged(changed);
    tools.push({ name: 'more', inputSchema: { type: 'object' } });
    upstream.notify('notifications/tools/list_changed');
    await vi.waitFor(() => expect(pool.list()[0]!.tools.map((t) => t.name)).toEqual(['echo', 'more']));
    expect(changed).toHaveBeenCalled();
  });

  it('passes a caller’s request _meta through the gateway to the server', async () => {
    const { pool, opened } = await ready();
    const session = new GatewaySession(
      {
        pool,
        settings: () => gatewaySettingsSchema.parse({}),
        security,
        createOwnTools: () => new McpServer({ name: 'own', version: '1' }),
        ownToolList: async () => [],
        local: { clientId: 'local', userId: 'me', scopes: ['mcp.access', 'mcp:servers'] },
        stats: createCallStats(),
        ...(await tempTrust()),
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
    // The call went through the gateway session's own upstream session, not the catalog's.
    const call = opened[1]!.received.find((m) => m.method === 'tools/call');
    expect(call?.params).toEqual({
      name: 'echo',
      arguments: {},
      _meta: { traceId: 'trace-1', 'x.io/k': [1] },
    });
  });
});
