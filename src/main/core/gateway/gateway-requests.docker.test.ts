import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serverSpecSchema } from '../../../shared/servers';
import { requireEngine } from '../../../../test-support/docker-engine';
import { ensureTestImage, EVERYTHING, SEQUENTIAL_THINKING } from '../../../../test-support/test-image';
import { createCore, type Core } from '../create-core';
import { DOCK_TOOL_NAMES } from '../mcp/dock-tools-server';

const OWN: readonly string[] = DOCK_TOOL_NAMES;

// What each token is shown at /mcp, with two MCP servers in real containers.
describe('requests and listings at /mcp on a real engine', async () => {
  const engine = await requireEngine();
  const run = randomBytes(3).toString('hex');
  const EVERY = `every-${run}`;
  const SEQ = `seq-${run}`;
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

  beforeAll(async () => {
    if (!engine) return;
    docker = new Docker({ socketPath: engine.socketPath });
    const image = await ensureTestImage(docker);
    core = await createCore({
      mode: 'headless',
      dataDir: await mkdtemp(join(tmpdir(), 'mcp-dock-gateway-requests-')),
      dockerHost: `unix://${engine.socketPath}`,
      http: { port: 0 },
      probeTimeoutMs: 60_000,
    });
    base = core.httpOrigin;
    await vi.waitFor(() => expect(core.engine.status().state).toBe('reachable'), { timeout: 10_000 });
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
    const all = await docker.listContainers({ all: true });
    await Promise.all(
      all
        .filter((c) => c.Names.some((n) => n.includes(run)))
        .map((c) =>
          docker
            .getContainer(c.Id)
            .remove({ force: true })
            .catch(() => undefined),
        ),
    );
  });

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
      expect((refused.content[0] as { text: string }).text).toMatch(/^insufficient_scope: /);
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
