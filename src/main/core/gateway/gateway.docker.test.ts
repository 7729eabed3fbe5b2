import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serverSpecSchema } from '../../../shared/servers';
import { requireEngine, removeContainersNamed } from '../../../../test-support/docker-engine';
import { EVERYTHING, SEQUENTIAL_THINKING } from '../../../../test-support/test-image';
import { openEngineCore } from '../../../../test-support/engine-core';
import type { Core } from '../create-core';

// The gateway against real containers: the MCP SDK client, holding a token from our own
// authorization server, reaches two MCP servers running in Docker through /mcp.
describe('the gateway on a real engine', async () => {
  const engine = await requireEngine();
  const run = randomBytes(3).toString('hex');
  const EVERY = `every-${run}`;
  const SEQ = `seq-${run}`;
  let docker: Docker;
  let core: Core;
  let base: string;
  let creds: { client_id: string; client_secret: string };
  const clients: Client[] = [];

  async function token(scope: string) {
    const res = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${creds.client_id}:${creds.client_secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: `${base}/mcp` }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  async function connect(scope = 'mcp.access mcp:servers') {
    const client = new Client({ name: 'gateway-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${await token(scope)}` } },
      }),
    );
    clients.push(client);
    return client;
  }

  const text = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text;
  const names = async (client: Client) => (await client.listTools()).tools.map((t) => t.name);

  beforeAll(async () => {
    if (!engine) return;
    let image: string;
    ({ docker, image, core } = await openEngineCore(engine.socketPath, 'gateway'));
    base = core.httpOrigin;
    await core.api.servers.add({ spec: serverSpecSchema.parse({ name: EVERY, image, command: EVERYTHING }) });
    await core.api.servers.add({
      spec: serverSpecSchema.parse({ name: SEQ, image, command: SEQUENTIAL_THINKING }),
    });
    await core.containers.start(EVERY, { waitForProbe: true });
    creds = await core.oauthClients.create({
      name: 'gateway-client',
      grant: 'client_credentials',
      scope: 'mcp.access mcp:servers',
    });
  }, 300_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await core?.close();
    if (!engine) return;
    await removeContainersNamed(docker, run);
  });

  it.skipIf(!engine)(
    'lists namespaced tools, calls two servers, and tells a connected client when a server starts',
    async () => {
      const client = await connect();
      await vi.waitFor(async () => expect(await names(client)).toContain(`${EVERY}__echo`), {
        timeout: 30_000,
      });
      expect(await names(client)).toContain('test_pii_detection');
      expect(await names(client)).not.toContain(`${SEQ}__sequentialthinking`);

      const changed = vi.fn();
      client.setNotificationHandler(ToolListChangedNotificationSchema, changed);
      await core.containers.start(SEQ, { waitForProbe: true });
      await vi.waitFor(() => expect(changed).toHaveBeenCalled(), { timeout: 30_000 });
      expect(await names(client)).toContain(`${SEQ}__sequentialthinking`);

      expect(text(await client.callTool({ name: `${EVERY}__echo`, arguments: { message: 'hi' } }))).toBe(
        'Echo: hi',
      );
      const thought = await client.callTool({
        name: `${SEQ}__sequentialthinking`,
        arguments: { thought: 'first', thoughtNumber: 1, totalThoughts: 1, nextThoughtNeeded: false },
      });
      expect(thought.isError).toBeFalsy();
      expect(text(thought)).toMatch(/thoughtNumber/);
    },
    180_000,
  );

  it.skipIf(!engine)(
    'applies the server’s PII policy to arguments and results, and audits the caller',
    async () => {
      const client = await connect();
      await vi.waitFor(async () => expect(await names(client)).toContain(`${EVERY}__echo`), {
        timeout: 30_000,
      });
      const masked = await client.callTool({
        name: `${EVERY}__echo`,
        arguments: { message: 'mail hong@example.com' },
      });
      expect(text(masked)).toBe('Echo: mail ****************');
      const [event] = await core.api.audit.query({ limit: 1, tool_name: 'echo' });
      expect(event).toMatchObject({
        server: EVERY,
        client_id: creds.client_id,
        contains_pii: true,
        pii_types: { EMAIL_ADDRESS: 1 },
        action_taken: 'masked',
        outcome: 'ok',
      });

      const config = await core.api.security.getConfig();
      try {
        await core.api.security.setConfig({
          ...config,
          servers: {
            [EVERY]: { policy: { action: 'encrypt', entities: {}, maskStyle: 'asterisks' }, tools: {} },
          },
        });
        const sealed = text(
          await client.callTool({ name: `${EVERY}__echo`, arguments: { message: 'hong@example.com' } }),
        );
        // The upstream server only ever saw the Fernet token.
        const [, token] = /^Echo: (gAAAA\S+)$/.exec(sealed)!;
        expect(core.security.fernet.current().decrypt(token!).toString()).toBe('hong@example.com');

        await core.api.security.setConfig({
          ...config,
          servers: {
            [EVERY]: { tools: { echo: { action: 'reject', entities: {}, maskStyle: 'asterisks' } } },
          },
        });
        const refused = (await client.callTool({
          name: `${EVERY}__echo`,
          arguments: { message: 'call 010-1234-5678' },
        })) as CallToolResult;
        expect(refused.isError).toBe(true);
        expect(text(refused)).toBe(
          'PII_REJECTED: Refused: the data contains PII (PHONE_NUMBER ×1) and the policy rejects it',
        );
      } finally {
        await core.api.security.setConfig(config);
      }
    },
  );

  it.skipIf(!engine)('refuses an upstream call to a token without the servers’ scope', async () => {
    const client = await connect('mcp.access');
    // Its list has none of the servers' tools: wait for the server with a client that sees it.
    const full = await connect();
    await vi.waitFor(async () => expect(await names(full)).toContain(`${EVERY}__echo`), {
      timeout: 30_000,
    });
    const denied = (await client.callTool({
      name: `${EVERY}__echo`,
      arguments: { message: 'x' },
    })) as CallToolResult;
    expect(denied.isError).toBe(true);
    expect(text(denied)).toBe(
      `INSUFFICIENT_SCOPE: this tool needs the scope mcp:server:${EVERY} or mcp:servers, which the token does not grant`,
    );
    // Our own tools need only mcp.access.
    expect((await client.callTool({ name: 'test_encryption', arguments: {} })).isError).toBeFalsy();

    // A token for one server reaches that server only.
    const one = await core.oauthClients.create({
      name: `one-${run}`,
      grant: 'client_credentials',
      scope: `mcp.access mcp:server:${EVERY}`,
    });
    const res = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: one.client_id,
        client_secret: one.client_secret,
        scope: `mcp.access mcp:server:${EVERY}`,
        resource: `${base}/mcp`,
      }),
    });
    const issued = (await res.json()) as { access_token: string; scope: string };
    expect(issued, JSON.stringify(issued)).toHaveProperty('access_token');
    expect(issued.scope).toBe(`mcp.access mcp:server:${EVERY}`);
    const narrow = new Client({ name: 'gateway-test', version: '1.0.0' });
    await narrow.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${issued.access_token}` } },
      }),
    );
    clients.push(narrow);
    expect(text(await narrow.callTool({ name: `${EVERY}__echo`, arguments: { message: 'ok' } }))).toBe(
      'Echo: ok',
    );
    const other = (await narrow.callTool({
      name: `${SEQ}__sequentialthinking`,
      arguments: { thought: 'x', thoughtNumber: 1, totalThoughts: 1, nextThoughtNeeded: false },
    })) as CallToolResult;
    expect(text(other)).toMatch(/^INSUFFICIENT_SCOPE: /);
  });

  it.skipIf(!engine)('answers unknown tools and bad arguments with JSON-RPC errors, audited', async () => {
    const client = await connect();
    await expect(client.callTool({ name: `${EVERY}__nope`, arguments: {} })).rejects.toThrow(/Unknown tool/);
    await expect(client.callTool({ name: 'nobody__echo', arguments: {} })).rejects.toThrow(/Unknown tool/);
    const [event] = await core.api.audit.query({ limit: 1 });
    expect(event).toMatchObject({ tool_name: 'nobody__echo', outcome: 'error', detail: 'unknown tool' });
    const bad = (await client.callTool({
      name: `${EVERY}__echo`,
      arguments: { message: 42 },
    })) as CallToolResult;
    expect(bad.isError).toBe(true);
  });

  it.skipIf(!engine)(
    'delivers a call’s last progress before its result, every time',
    async () => {
      // The SDK client itself drops a progress that arrives in the same read as its result
      // (typescript-sdk#2580), so what the gateway sent is read off the client's transport, in
      // the order it arrived.
      const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${await token('mcp.access mcp:servers')}` } },
      });
      const client = new Client({ name: 'gateway-test', version: '1.0.0' });
      await client.connect(transport);
      clients.push(client);
      await vi.waitFor(async () => expect(await names(client)).toContain(`${EVERY}__echo`), {
        timeout: 30_000,
      });
      const arrived: {
        id?: unknown;
        method?: string;
        params?: { progressToken?: unknown; progress?: number };
      }[] = [];
      const deliver = transport.onmessage!;
      transport.onmessage = (message: JSONRPCMessage) => {
        arrived.push(message as (typeof arrived)[number]);
        deliver(message);
      };
      const STEPS = 3;
      for (let run = 0; run < 150; run++) {
        arrived.length = 0;
        const done = await client.callTool(
          { name: `${EVERY}__trigger-long-running-operation`, arguments: { duration: 0, steps: STEPS } },
          undefined,
          { onprogress: () => undefined },
        );
        expect(done.isError).toBeFalsy();
        const result = arrived.findIndex((m) => m.id !== undefined && m.method === undefined);
        const token = arrived[result]!.id;
        const progress = arrived
          .slice(0, result)
          .filter((m) => m.method === 'notifications/progress' && m.params?.progressToken === token)
          .map((m) => m.params?.progress);
        expect({ run, progress }).toEqual({ run, progress: [1, 2, 3] });
      }
    },
    180_000,
  );

  it.skipIf(!engine)('passes progress notifications through, and cancellation back', async () => {
    const client = await connect();
    await vi.waitFor(async () => expect(await names(client)).toContain(`${EVERY}__echo`), {
      timeout: 30_000,
    });
    const progress: number[] = [];
    const done = await client.callTool(
      { name: `${EVERY}__trigger-long-running-operation`, arguments: { duration: 1, steps: 4 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(done.isError).toBeFalsy();
    // The last step's notification may race the result, after which the client drops it.
    expect(progress.slice(0, 3)).toEqual([1, 2, 3]);

    const controller = new AbortController();
    let underWay!: () => void;
    const firstProgress = new Promise<void>((resolve) => (underWay = resolve));
    const cancelled = client
      .callTool(
        { name: `${EVERY}__trigger-long-running-operation`, arguments: { duration: 30, steps: 30 } },
        undefined,
        { signal: controller.signal, onprogress: () => underWay() },
      )
      .then(
        () => 'finished',
        (error: Error) => error.message,
      );
    // Cancelled once the server is working on it (its first progress), long before it would finish;
    // how fast a cancellation settles is measured in bench/.
    await firstProgress;
    controller.abort('user cancelled');
    expect(await cancelled).toMatch(/cancel/i);
    // The shared upstream connection is still good for the next call.
    expect(text(await client.callTool({ name: `${EVERY}__echo`, arguments: { message: 'next' } }))).toBe(
      'Echo: next',
    );
  });

  it.skipIf(!engine)(
    'a call that hangs past the timeout fails alone, named; the connection stays',
    async () => {
      const client = await connect();
      await vi.waitFor(async () => expect(await names(client)).toContain(`${EVERY}__echo`), {
        timeout: 30_000,
      });
      // Written by hand, as a user would: the app picks up gateway.json through its watcher.
      await writeFile(join(core.dataDir, 'gateway.json'), JSON.stringify({ callTimeoutMs: 1500 }));
      try {
        await vi.waitFor(
          async () => {
            const hung = await client
              .callTool({
                name: `${EVERY}__trigger-long-running-operation`,
                arguments: { duration: 6, steps: 1 },
              })
              .then(
                (r) => text(r),
                (error: Error) => error.message,
              );
            expect(hung).toMatch(new RegExp(`${EVERY}: no answer within the call timeout`));
          },
          { timeout: 20_000, interval: 200 },
        );
        expect(text(await client.callTool({ name: `${EVERY}__echo`, arguments: { message: 'alive' } }))).toBe(
          'Echo: alive',
        );
      } finally {
        await rm(join(core.dataDir, 'gateway.json'));
        // The next tests need the default timeout back: a call longer than 1.5 s passes again.
        await vi.waitFor(
          async () => {
            const result = (await client.callTool({
              name: `${EVERY}__trigger-long-running-operation`,
              arguments: { duration: 2, steps: 1 },
            })) as CallToolResult;
            expect(result.isError ?? false).toBe(false);
          },
          { timeout: 20_000, interval: 200 },
        );
      }
    },
  );

  it.skipIf(!engine)('a container killed mid-call fails that call only; the rest keeps serving', async () => {
    const client = await connect();
    await vi.waitFor(async () => expect(await names(client)).toContain(`${SEQ}__sequentialthinking`), {
      timeout: 30_000,
    });
    // Settled handlers attached at once: the rejection arrives while the test is killing.
    let underWay!: () => void;
    const firstProgress = new Promise<void>((resolve) => (underWay = resolve));
    const long = client
      .callTool(
        { name: `${EVERY}__trigger-long-running-operation`, arguments: { duration: 20, steps: 20 } },
        undefined,
        { onprogress: () => underWay() },
      )
      .then(
        (r) => r as CallToolResult,
        (error: Error) =>
          ({ isError: true, content: [{ type: 'text', text: error.message }] }) as CallToolResult,
      );
    // Killed while the server works on the call (its first progress).
    await firstProgress;
    const view = core.containers.view(EVERY);
    await docker.getContainer(view.container.id!).kill();
    const failed = await long;
    expect(failed.isError).toBe(true);
    expect(text(failed)).toMatch(new RegExp(`${EVERY}: the server’s process ended during the call`));
    const still = await client.callTool({
      name: `${SEQ}__sequentialthinking`,
      arguments: { thought: 'after', thoughtNumber: 1, totalThoughts: 1, nextThoughtNeeded: false },
    });
    expect(still.isError).toBeFalsy();
    expect((await client.callTool({ name: 'test_encryption', arguments: {} })).isError).toBeFalsy();

    // Started again, the server is back in the gateway on a fresh upstream connection.
    await core.containers.start(EVERY, { waitForProbe: true });
    await vi.waitFor(
      async () =>
        expect(text(await client.callTool({ name: `${EVERY}__echo`, arguments: { message: 'back' } }))).toBe(
          'Echo: back',
        ),
      { timeout: 30_000, interval: 500 },
    );
  });
});
