import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScriptedUpstream, scriptedContainers } from '../../../../test-support/scripted-upstream';
import type { AuditEventInput } from '../../../shared/audit';
import { gatewaySettingsSchema } from '../../../shared/gateway';
import { securityConfigSchema, type SecurityConfigInput } from '../../../shared/security';
import { Fernet, generateFernetKey } from '../security/fernet';
import type { TextScanner } from '../security/policy/apply-policy';
import type { Caller, SecurityServices } from '../security/secure-tool';
import { createCallStats } from './call-stats';
import { GatewaySession } from './gateway-server';
import { containerSource } from './upstream-source';
import { createUpstreamPool, type UpstreamPool } from './upstream-pool';
import { tempTrust } from '../../../../test-support/temp-pins';

// The gateway's use of the guard without Docker: a session in front of a fake upstream pool,
// reached by the SDK client over an in-memory pair. The docker tests cover real upstreams.

const scanner: TextScanner = {
  scan(text) {
    const findings = [...text.matchAll(/[a-z]+@example\.com/g)].map((m) => ({
      type: 'EMAIL_ADDRESS',
      start: m.index,
      end: m.index + m[0].length,
      score: 0.9,
    }));
    return { findings, timedOut: false };
  },
};
const key = generateFernetKey();
const LOCAL: Caller = { clientId: 'local', userId: 'me', scopes: ['mcp.access', 'mcp:servers'] };

function services(config: SecurityConfigInput, events: AuditEventInput[]): SecurityServices {
  const parsed = securityConfigSchema.parse(config);
  return {
    policyContext: (o) => ({
      scanner,
      fernet: () => new Fernet(key),
      threshold: 0.5,
      timeBudgetMs: 100,
      ...(o?.requireEncryption ? { requireEncryption: true } : {}),
    }),
    config: () => parsed,
    audit: async (e) => void events.push(e),
    auditReady: async () => undefined,
  };
}

// One ready upstream, "demo", with a tool, a prompt and a resource; it notes what it was sent.
function fakePool(seen: unknown[]): UpstreamPool {
  const { containers } = scriptedContainers(
    'demo',
    () =>
      new ScriptedUpstream(
        {
          'tools/list': () => ({ tools: [{ name: 'echo', inputSchema: { type: 'object' } }] }),
          'prompts/list': () => ({ prompts: [{ name: 'greet', arguments: [{ name: 'who' }] }] }),
          'resources/list': () => ({ resources: [{ uri: 'demo://owner', name: 'owner' }] }),
          'tools/call': (params) => {
            const args = params?.arguments as Record<string, unknown>;
            seen.push(args);
            if (args.crash) throw new Error('connection reset');
            return { content: [{ type: 'text', text: `echo ${JSON.stringify(args)}` }] };
          },
          'prompts/get': (params) => {
            const args = params?.arguments as Record<string, string> | undefined;
            seen.push(args);
            return {
              messages: [
                { role: 'user', content: { type: 'text', text: `hello ${args?.who}, from lee@example.com` } },
              ],
            };
          },
          'resources/read': (params) => {
            seen.push(params?.uri);
            return { contents: [{ uri: params?.uri, text: 'owner: lee@example.com' }] };
          },
        },
        { tools: {}, prompts: {}, resources: {} },
      ),
  );
  const pool = createUpstreamPool({ source: containerSource(containers) });
  pools.push(pool);
  return pool;
}

const pools: UpstreamPool[] = [];
const sessions: GatewaySession[] = [];
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

async function open(options: { config?: SecurityConfigInput; auth?: AuthInfo } = {}) {
  const events: AuditEventInput[] = [];
  const seen: unknown[] = [];
  const pool = fakePool(seen);
  await vi.waitFor(() => expect(pool.list()[0]?.state).toBe('ready'));
  const session = new GatewaySession(
    {
      pool,
      settings: () => gatewaySettingsSchema.parse({}),
      security: services(options.config ?? {}, events),
      createOwnTools: () => new McpServer({ name: 'own', version: '1' }),
      ownToolList: async () => [],
      local: LOCAL,
      stats: createCallStats(),
      ...(await tempTrust()),
    },
    options.auth,
  );
  sessions.push(session);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await session.connect(serverSide);
  const client = new Client({ name: 'c', version: '1' });
  await client.connect(clientSide);
  clients.push(client);
  return { client, events, seen };
}

const textOf = (r: CallToolResult) => (r.content[0] as { text: string }).text;
const NARROW: AuthInfo = {
  token: 't',
  clientId: 'client-a',
  scopes: ['mcp.access'],
  extra: { sub: 'user-a' },
};

describe('the gateway’s calls through the guard', () => {
  it('tools/call: masks the arguments the upstream sees and audits attempt and outcome', async () => {
    const { client, events, seen } = await open();
    const result = (await client.callTool({
      name: 'demo__echo',
      arguments: { to: 'kim@example.com' },
    })) as CallToolResult;
    expect(seen).toEqual([{ to: '***************' }]);
    expect(textOf(result)).toBe('echo {"to":"***************"}');
    expect(events.map((e) => [e.event_type, e.tool_name, e.server, e.action_taken, e.outcome])).toEqual([
      ['tool_call_attempt', 'echo', 'demo', 'masked', undefined],
      ['tool_call', 'echo', 'demo', 'masked', 'ok'],
    ]);
    expect(events[1]!.call_id).toBe(events[0]!.call_id);
  });

  it('tools/call: a token without the server’s scope gets a tool error and one denied record', async () => {
    const { client, events, seen } = await open({ auth: NARROW });
    const denied = (await client.callTool({ name: 'demo__echo', arguments: {} })) as CallToolResult;
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toMatch(
      /^INSUFFICIENT_SCOPE: this tool needs the scope mcp:server:demo or mcp:servers/,
    );
    expect(seen).toEqual([]);
    expect(events).toEqual([
      expect.objectContaining({
        event_type: 'tool_call',
        client_id: 'client-a',
        user_id: 'user-a',
        action_taken: 'denied',
        outcome: 'denied',
      }),
    ]);
  });

  it('tools/call: an upstream failure is a JSON-RPC error naming the server, its outcome logged', async () => {
    const { client, events } = await open();
    await expect(client.callTool({ name: 'demo__echo', arguments: { crash: true } })).rejects.toThrow(
      'demo: connection reset',
    );
    expect(events.map((e) => [e.event_type, e.outcome])).toEqual([
      ['tool_call_attempt', undefined],
      ['tool_call', 'error'],
    ]);
  });

  it('tools/call: an unknown tool is refused before the guard, with one refused record', async () => {
    const { client, events, seen } = await open({ auth: NARROW });
    await expect(client.callTool({ name: 'nobody__echo', arguments: {} })).rejects.toThrow(
      'Unknown tool: nobody__echo',
    );
    expect(seen).toEqual([]);
    expect(events).toEqual([
      expect.objectContaining({
        tool_name: 'nobody__echo',
        client_id: 'client-a',
        action_taken: 'refused',
        outcome: 'error',
        detail: 'unknown tool',
      }),
    ]);
  });

  it('prompts/get: the upstream sees the arguments as the policy left them, and the result is masked', async () => {
    const { client, events, seen } = await open();
    const prompt = await client.getPrompt({ name: 'demo__greet', arguments: { who: 'kim@example.com' } });
    expect(seen).toEqual([{ who: '***************' }]);
    expect(prompt.messages[0]!.content).toEqual({
      type: 'text',
      text: 'hello ***************, from ***************',
    });
    expect(events.map((e) => [e.event_type, e.tool_name, e.action_taken, e.outcome])).toEqual([
      ['prompt_get_attempt', 'greet', 'masked', undefined],
      ['prompt_get', 'greet', 'masked', 'ok'],
    ]);
    expect(events[1]).toMatchObject({ pii_types: { EMAIL_ADDRESS: 2 }, parameter_count: 1 });
  });

  it('resources/read: a result the policy rejects is a JSON-RPC error with the code and reason', async () => {
    const { client, events, seen } = await open({
      config: { servers: { demo: { policy: { action: 'reject' } } } },
    });
    await expect(client.readResource({ uri: 'mcp-dock://demo/demo://owner' })).rejects.toThrow(
      'PII_REJECTED: Refused: the data contains PII (EMAIL_ADDRESS ×1) and the policy rejects it',
    );
    expect(seen).toEqual(['demo://owner']);
    expect(events.map((e) => [e.event_type, e.tool_name, e.action_taken, e.outcome])).toEqual([
      ['resource_read_attempt', 'demo://owner', 'allowed', undefined],
      ['resource_read', 'demo://owner', 'rejected', 'rejected'],
    ]);
  });

  it('prompts/get: a token without the server’s scope is refused before the upstream is asked', async () => {
    const { client, events, seen } = await open({ auth: NARROW });
    await expect(client.getPrompt({ name: 'demo__greet', arguments: { who: 'x' } })).rejects.toThrow(
      /: this tool needs the scope mcp:server:demo or mcp:servers, which the token does not grant/,
    );
    expect(seen).toEqual([]);
    expect(events).toEqual([expect.objectContaining({ event_type: 'prompt_get', outcome: 'denied' })]);
  });
});
