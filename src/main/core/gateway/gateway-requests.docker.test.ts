import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serverSpecSchema } from '../../../shared/servers';
import { requireEngine, removeContainersNamed } from '../../../../test-support/docker-engine';
import { EVERYTHING, SEQUENTIAL_THINKING } from '../../../../test-support/test-image';
import { openEngineCore } from '../../../../test-support/engine-core';
import type { Core } from '../create-core';
import { DOCK_TOOL_NAMES } from '../mcp/dock-tools-server';

const PROTOCOL = '2025-11-25';
const OWN: readonly string[] = DOCK_TOOL_NAMES;

// What a session's requests get at /mcp, with two MCP servers in real containers: a request the
// client cancels, one that reuses an id still in flight, and what each token is shown.
describe('requests and listings at /mcp on a real engine', async () => {
  const engine = await requireEngine();
  const run = randomBytes(3).toString('hex');
  const EVERY = `every-${run}`;
  const SEQ = `seq-${run}`;
  const LONG = `${EVERY}__trigger-long-running-operation`;
  let docker: Docker;
  let core: Core;
  let base: string;
  const clients: Client[] = [];

  async function token(scope: string): Promise<string> {
    const name = `c-${randomBytes(4).toString('hex')}`;
    const c = await core.oauthClients.create({ name, grant: 'client_credentials', scope });
    const res = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: `${base}/mcp` }),
    });
    const body = (await res.json()) as { access_token: string; scope: string };
    expect(body.scope).toBe(scope);
    return body.access_token;
  }

  async function connect(scope: string): Promise<Client> {
    const client = new Client({ name: 'listing-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${await token(scope)}` } },
      }),
    );
    clients.push(client);
    return client;
  }

  // A session spoken to in raw HTTP, which can do what the SDK client never does.
  async function rawSession() {
    const bearer = await token('mcp.access mcp:servers');
    const headers = {
      authorization: `Bearer ${bearer}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    const init = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      }),
    });
    await init.text();
    const session = {
      ...headers,
      'mcp-session-id': init.headers.get('mcp-session-id')!,
      'mcp-protocol-version': PROTOCOL,
    };
    const post = (message: object) =>
      fetch(`${base}/mcp`, {
        method: 'POST',
        headers: session,
        body: JSON.stringify({ jsonrpc: '2.0', ...message }),
      });
    expect((await post({ method: 'notifications/initialized' })).status).toBe(202);
    return post;
  }

  const long = (id: string, progress = false) => ({
    id,
    method: 'tools/call',
    params: {
      name: LONG,
      arguments: { duration: 30, steps: 30 },
      ...(progress ? { _meta: { progressToken: `${id}-progress` } } : {}),
    },
  });

  // A call has reached the gateway's handler once the server's call count moves.
  const calls = async () =>
    (await core.api.gateway.status()).servers.find((s) => s.server === EVERY)?.callsPerMinute ?? 0;
  async function untilDelivered(before: number) {
    await vi.waitFor(async () => expect(await calls()).toBeGreaterThan(before), { timeout: 20_000 });
  }

  const messagesOf = (sse: string) =>
    sse
      .split(/\n\n/)
      .flatMap((event) => event.split('\n').filter((l) => l.startsWith('data: ') && l.length > 6))
      .map((l) => JSON.parse(l.slice(6)) as { id?: unknown; method?: string });

  beforeAll(async () => {
    if (!engine) return;
    let image: string;
    ({ docker, image, core } = await openEngineCore(engine.socketPath, 'gateway-requests'));
    base = core.httpOrigin;
    await core.api.servers.add({ spec: serverSpecSchema.parse({ name: EVERY, image, command: EVERYTHING }) });
    await core.api.servers.add({
      spec: serverSpecSchema.parse({ name: SEQ, image, command: SEQUENTIAL_THINKING }),
    });
    await core.containers.start(EVERY, { waitForProbe: true });
    await core.containers.start(SEQ, { waitForProbe: true });
    await vi.waitFor(
      async () =>
        expect((await core.api.gateway.status()).servers.map((s) => s.state)).toEqual(['ready', 'ready']),
      { timeout: 60_000 },
    );
  }, 300_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await core?.close();
    if (!engine) return;
    await removeContainersNamed(docker, run);
  });

  it.skipIf(!engine)(
    'closes the POST of a cancelled request without a response; the id is free again',
    async () => {
      const post = await rawSession();
      const before = await calls();
      const pending = post(long('c1'));
      await untilDelivered(before);
      expect(
        (await post({ method: 'notifications/cancelled', params: { requestId: 'c1', reason: 'user' } }))
          .status,
      ).toBe(202);
      const closed = await pending;
      expect(closed.status).toBe(200);
      expect(closed.headers.get('content-type')).toBe('text/event-stream');
      expect(messagesOf(await closed.text())).toEqual([]);
      const again = await post({
        id: 'c1',
        method: 'tools/call',
        params: { name: `${EVERY}__echo`, arguments: { message: 'again' } },
      });
      expect(await again.json()).toMatchObject({ id: 'c1', result: { content: [{ text: 'Echo: again' }] } });
    },
    60_000,
  );

  it.skipIf(!engine)(
    'ends the SSE stream of a cancelled request that asked for progress, without a response',
    async () => {
      const post = await rawSession();
      const stream = await post(long('c2', true));
      expect(stream.headers.get('content-type')).toBe('text/event-stream');
      expect((await post({ method: 'notifications/cancelled', params: { requestId: 'c2' } })).status).toBe(
        202,
      );
      const messages = messagesOf(await stream.text());
      // Progress may have come before the cancellation; no response does.
      expect(messages.filter((m) => m.method !== 'notifications/progress')).toEqual([]);
    },
    60_000,
  );

  it.skipIf(!engine)(
    'refuses a request reusing an id in flight with -32600; the first is answered as itself',
    async () => {
      const post = await rawSession();
      const before = await calls();
      const first = post({
        id: 'd1',
        method: 'tools/call',
        params: { name: LONG, arguments: { duration: 2, steps: 2 } },
      });
      await untilDelivered(before);
      const echo = {
        method: 'tools/call',
        params: { name: `${EVERY}__echo`, arguments: { message: 'dup' } },
      };
      const dup = await post({ id: 'd1', ...echo });
      expect(dup.status).toBe(400);
      expect(await dup.json()).toEqual({
        jsonrpc: '2.0',
        id: null,
        error: {
          code: -32600,
          message:
            'Invalid Request: the id "d1" belongs to a request still in flight on this session; use a new id',
        },
      });
      // The same through the SDK's stream path (a request asking for progress).
      const dupStream = await post({
        id: 'd1',
        ...echo,
        params: { ...echo.params, _meta: { progressToken: 'p' } },
      });
      expect(dupStream.status).toBe(400);
      const answered = (await (await first).json()) as { id: string; result: CallToolResult };
      expect(answered.id).toBe('d1');
      expect((answered.result.content[0] as { text: string }).text).toMatch(
        /Long running operation completed/,
      );
    },
    60_000,
  );

  it.skipIf(!engine)(
    'lists to each token only the upstream tools, prompts and resources it may use',
    async () => {
      const none = await connect('mcp.access');
      const one = await connect(`mcp.access mcp:server:${EVERY}`);
      const all = await connect('mcp.access mcp:servers');
      const upstream = async (client: Client) => ({
        tools: (await client.listTools()).tools.map((t) => t.name).filter((n) => !OWN.includes(n)),
        prompts: (await client.listPrompts()).prompts.map((p) => p.name),
        resources: (await client.listResources()).resources.map((r) => r.name),
      });
      const everything = await upstream(all);
      expect(everything.tools).toContain(`${SEQ}__sequentialthinking`);
      expect(everything.tools).toContain(`${EVERY}__echo`);
      expect(everything.prompts.length).toBeGreaterThan(0);
      expect(everything.resources.length).toBeGreaterThan(0);

      expect(await upstream(one)).toEqual({
        tools: everything.tools.filter((n) => n.startsWith(`${EVERY}__`)),
        prompts: everything.prompts.filter((n) => n.startsWith(`${EVERY}__`)),
        resources: everything.resources.filter((n) => n.startsWith(`${EVERY}__`)),
      });
      expect(await upstream(none)).toEqual({ tools: [], prompts: [], resources: [] });
      // Our own tools, which need mcp.access only, are listed to all three.
      for (const client of [none, one, all])
        expect((await client.listTools()).tools.map((t) => t.name)).toEqual(
          expect.arrayContaining([...DOCK_TOOL_NAMES]),
        );
      // Calls are refused as before.
      const refused = (await none.callTool({
        name: `${EVERY}__echo`,
        arguments: { message: 'x' },
      })) as CallToolResult;
      expect((refused.content[0] as { text: string }).text).toMatch(/^INSUFFICIENT_SCOPE: /);
    },
  );

  it.skipIf(!engine)(
    'tells a client when the tools it may use change, and lists the change',
    async () => {
      const seqOnly = await connect(`mcp.access mcp:server:${SEQ}`);
      const changed = vi.fn();
      seqOnly.setNotificationHandler(ToolListChangedNotificationSchema, changed);
      expect((await seqOnly.listTools()).tools.map((t) => t.name)).toContain(`${SEQ}__sequentialthinking`);
      await core.containers.stop(SEQ);
      await vi.waitFor(() => expect(changed).toHaveBeenCalled(), { timeout: 30_000 });
      expect((await seqOnly.listTools()).tools.map((t) => t.name)).not.toContain(
        `${SEQ}__sequentialthinking`,
      );
      changed.mockClear();
      await core.containers.start(SEQ, { waitForProbe: true });
      await vi.waitFor(() => expect(changed).toHaveBeenCalled(), { timeout: 30_000 });
      expect((await seqOnly.listTools()).tools.map((t) => t.name)).toContain(`${SEQ}__sequentialthinking`);
    },
    120_000,
  );
});
