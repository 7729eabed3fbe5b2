import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHeadlessCore } from '../../../../test-support/headless-core';
import type { Core } from '../create-core';

const PROTOCOL = '2025-11-25';
const ACCEPT = 'application/json, text/event-stream';

async function coreWith(gateway: Record<string, unknown>): Promise<Core> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-sessions-'));
  await writeFile(join(dataDir, 'gateway.json'), JSON.stringify({ version: 1, ...gateway }));
  return startHeadlessCore({ dataDir });
}

// Raw HTTP at /mcp, as a client that never says DELETE behaves. OAuth client ids are the names.
function rawClients(core: Core) {
  const base = core.httpOrigin;
  const tokens = new Map<string, string>();

  async function token(name: string): Promise<string> {
    const known = tokens.get(name);
    if (known) return known;
    const c = await core.oauthClients.create({ name, grant: 'client_credentials', scope: 'mcp.access' });
    const res = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'mcp.access',
        resource: `${base}/mcp`,
      }),
    });
    expect(res.status).toBe(200);
    const value = ((await res.json()) as { access_token: string }).access_token;
    tokens.set(name, value);
    return value;
  }

  const headers = async (client: string, session?: string) => ({
    authorization: `Bearer ${await token(client)}`,
    'content-type': 'application/json',
    accept: ACCEPT,
    ...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': PROTOCOL } : {}),
  });

  const initialize = async (client: string) =>
    fetch(`${base}/mcp`, {
      method: 'POST',
      headers: await headers(client),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: client, version: '1' } },
      }),
    });

  return {
    initialize,
    async open(client: string): Promise<string> {
      const res = await initialize(client);
      const text = await res.text();
      expect(res.status, text).toBe(200);
      const id = res.headers.get('mcp-session-id')!;
      const done = await fetch(`${base}/mcp`, {
        method: 'POST',
        headers: await headers(client, id),
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      });
      expect(done.status).toBe(202);
      return id;
    },
    async ping(client: string, session: string): Promise<number> {
      const res = await fetch(`${base}/mcp`, {
        method: 'POST',
        headers: await headers(client, session),
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
      });
      await res.text();
      return res.status;
    },
    // The session's standalone SSE stream, held open until the returned function is called.
    async listen(client: string, session: string): Promise<() => void> {
      const controller = new AbortController();
      const res = await fetch(`${base}/mcp`, {
        headers: { ...(await headers(client, session)), accept: 'text/event-stream' },
        signal: controller.signal,
      });
      expect(res.status).toBe(200);
      return () => controller.abort();
    },
    async post(client: string, session: string, message: object): Promise<Record<string, unknown>> {
      const res = await fetch(`${base}/mcp`, {
        method: 'POST',
        headers: await headers(client, session),
        body: JSON.stringify({ jsonrpc: '2.0', ...message }),
      });
      return (await res.json()) as Record<string, unknown>;
    },
    async held(client: string): Promise<string[]> {
      const status = await core.api.gateway.status();
      return status.sessions
        .filter((s) => s.clientId === client)
        .map((s) => s.id)
        .sort();
    },
  };
}

describe('/mcp sessions per client', () => {
  let core: Core;
  let http: ReturnType<typeof rawClients>;
  beforeAll(async () => {
    core = await coreWith({ maxSessionsPerClient: 3 });
    http = rawClients(core);
  });
  afterAll(() => core?.close());

  it('closes the client’s longest-idle session to make room, and leaves other clients’ sessions alone', async () => {
    const other = await http.open('other-client');
    const a = await http.open('busy-client');
    const b = await http.open('busy-client');
    const c = await http.open('busy-client');
    // a is used again, so b is now the one idle for longest.
    expect(await http.ping('busy-client', a)).toBe(200);
    const d = await http.open('busy-client');
    expect(await http.held('busy-client')).toEqual([a, c, d].sort());
    expect(await http.ping('busy-client', b)).toBe(404);
    expect(await http.ping('busy-client', a)).toBe(200);
    expect(await http.ping('other-client', other)).toBe(200);
  });

  it('never closes a session with an open stream: when none is idle, a new one is refused, saying why', async () => {
    const sessions = [
      await http.open('stream-client'),
      await http.open('stream-client'),
      await http.open('stream-client'),
    ];
    const stops = await Promise.all(sessions.map((s) => http.listen('stream-client', s)));
    const refused = await http.initialize('stream-client');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: {
        code: -32000,
        message:
          'The client stream-client already holds 3 sessions, each with a request or a stream open; close one (DELETE /mcp with its Mcp-Session-Id) or raise maxSessionsPerClient in gateway.json',
      },
    });
    expect(await http.held('stream-client')).toEqual([...sessions].sort());
    // Once its stream is closed, a session is idle again and makes room.
    stops[1]!();
    await vi.waitFor(async () => expect((await http.initialize('stream-client')).status).toBe(200));
    expect(await http.held('stream-client')).not.toContain(sessions[1]);
    stops.forEach((stop) => stop());
  });
  it('holds to the cap under a burst of initialize requests', async () => {
    await http.open('burst-client');
    let most = 0;
    const stop = core.api.gateway.onChanged(() => {
      void core.api.gateway.status().then((s) => {
        most = Math.max(most, s.sessions.filter((x) => x.clientId === 'burst-client').length);
      });
    });
    try {
      const answers = await Promise.all(Array.from({ length: 30 }, () => http.initialize('burst-client')));
      const statuses = await Promise.all(answers.map(async (a) => (await a.text(), a.status)));
      expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    } finally {
      stop();
    }
    expect(most).toBeLessThanOrEqual(3);
    expect((await http.held('burst-client')).length).toBeLessThanOrEqual(3);
  });
});

describe('/mcp sessions left idle', () => {
  let core: Core;
  let http: ReturnType<typeof rawClients>;
  beforeAll(async () => {
    core = await coreWith({ sessionIdleTimeoutMs: 1000 });
    http = rawClients(core);
  });
  afterAll(() => core?.close());

  it('are closed after sessionIdleTimeoutMs, unless a stream is open; the client starts a new one', async () => {
    const listening = await http.open('idle-client');
    const stop = await http.listen('idle-client', listening);
    const idle = await http.open('idle-client');
    expect(await http.held('idle-client')).toEqual([listening, idle].sort());
    // The session opened later expires; the earlier one, still listening, does not.
    await vi.waitFor(async () => expect(await http.held('idle-client')).toEqual([listening]), {
      timeout: 15_000,
      interval: 100,
    });
    expect(await http.ping('idle-client', idle)).toBe(404);
    stop();
    await vi.waitFor(async () => expect(await http.held('idle-client')).toEqual([]), {
      timeout: 15_000,
      interval: 100,
    });
    const fresh = await http.open('idle-client');
    expect(await http.ping('idle-client', fresh)).toBe(200);
  });
});

describe('/mcp sessions and our own tools', () => {
  let core: Core;
  let http: ReturnType<typeof rawClients>;
  beforeAll(async () => {
    core = await coreWith({});
    http = rawClients(core);
  });
  afterAll(() => core?.close());

  // Their server is most of an idle session's memory: it is listed once, and opened per session
  // only when the session calls one of them.
  it('lists them in every session but opens their server only in a session that calls one', async () => {
    const connects = vi.spyOn(McpServer.prototype, 'connect');
    try {
      const sessions = [
        await http.open('own-client'),
        await http.open('own-client'),
        await http.open('own-client'),
      ];
      for (const [i, session] of sessions.entries()) {
        const listed = (await http.post('own-client', session, { id: 10 + i, method: 'tools/list' })) as {
          result: { tools: { name: string }[] };
        };
        expect(listed.result.tools.map((t) => t.name)).toContain('test_encryption');
      }
      expect(connects).toHaveBeenCalledTimes(1);
      const called = await http.post('own-client', sessions[0]!, {
        id: 20,
        method: 'tools/call',
        params: { name: 'get_oauth2_flow_guide', arguments: {} },
      });
      expect(called).toMatchObject({ id: 20, result: { content: [{ type: 'text' }] } });
      expect(connects).toHaveBeenCalledTimes(2);
    } finally {
      connects.mockRestore();
    }
  });
});
