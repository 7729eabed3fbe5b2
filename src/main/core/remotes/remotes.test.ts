import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { remoteSpecSchema, type RemoteSpecInput, type RemoteView } from '../../../shared/remotes';
import { serverSpecSchema, type ServerSpecInput } from '../../../shared/servers';
import { startBareCore } from '../../../../test-support/headless-core';
import { gatewayHttpClient } from '../../../../test-support/gateway-clients';
import { startRemoteMcpServer, type RemoteMcpServer } from '../../../../test-support/remote-mcp-server';
import type { Core } from '../create-core';
import { fileKeyProvider } from '../secrets/key-provider';
import { openSecretStore } from '../secrets/secret-store';

// Through the contract the specs' defaults are filled in; core's api takes them parsed.
const addRemote = (core: Core, input: { spec: RemoteSpecInput; secretValues?: Record<string, string> }) =>
  core.api.remotes.add({ ...input, spec: remoteSpecSchema.parse(input.spec) });
const addServer = (core: Core, input: { spec: ServerSpecInput }) =>
  core.api.servers.add({ spec: serverSpecSchema.parse(input.spec) });

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

async function startCore(dataDir?: string): Promise<Core> {
  const core = await startBareCore(dataDir);
  closers.push(() => core.close());
  return core;
}

async function remote(options: Parameters<typeof startRemoteMcpServer>[0]): Promise<RemoteMcpServer> {
  const server = await startRemoteMcpServer(options);
  closers.push(() => server.close());
  return server;
}

async function client(core: Core, name = 'remote-test'): Promise<Client> {
  const c = await gatewayHttpClient(core, name);
  closers.push(() => c.close());
  return c;
}

// Resolves with the first list of views that passes the check (the current one included).
async function until(
  core: Core,
  check: (views: RemoteView[]) => boolean,
  ms = 10_000,
): Promise<RemoteView[]> {
  const now = await core.api.remotes.list();
  if (check(now)) return now;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      void core.api.remotes
        .list()
        .then((views) => reject(new Error(`timed out; views: ${JSON.stringify(views)}`)));
    }, ms);
    const stop = core.api.remotes.onChanged((views) => {
      if (!check(views)) return;
      clearTimeout(timer);
      stop();
      resolve(views);
    });
  });
}

const stateOf = (name: string, state: RemoteView['state']) => (views: RemoteView[]) =>
  views.find((v) => v.spec.name === name)?.state === state;

const text = (result: unknown) =>
  ((result as { content: { type: string; text: string }[] }).content[0] ?? { text: '' }).text;

describe('remote servers behind the gateway', () => {
  it('serves a Streamable HTTP server with no auth through /mcp, with its tools prefixed', async () => {
    const upstream = await remote({ kind: 'streamable' });
    const core = await startCore();
    const added = await addRemote(core, { spec: { name: 'far', url: upstream.url } });
    expect(added.spec).toMatchObject({ name: 'far', transport: 'auto', auth: { type: 'none' } });
    const [ready] = await until(core, stateOf('far', 'ready'));
    expect(ready!.transport).toBe('streamable-http');
    expect(ready!.tools.map((t) => t.name).sort()).toEqual(['echo', 'whoami']);

    const c = await client(core);
    const { tools } = await c.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['far__echo', 'far__whoami']));
    const result = await c.callTool({ name: 'far__echo', arguments: { message: 'hi' } });
    expect(text(result)).toBe('Echo: hi');
    // Audited as any container server's call.
    const events = await core.api.audit.query({ limit: 20 });
    expect(events.some((e) => e.tool_name === 'far__echo' || e.tool_name === 'echo')).toBe(true);
  });

  it('falls back to the legacy HTTP+SSE transport when the server only speaks that', async () => {
    const upstream = await remote({ kind: 'sse' });
    const core = await startCore();
    await addRemote(core, { spec: { name: 'old', url: upstream.url } });
    const [view] = await until(core, stateOf('old', 'ready'));
    expect(view!.transport).toBe('sse');
    const c = await client(core);
    expect(text(await c.callTool({ name: 'old__echo', arguments: { message: 'legacy' } }))).toBe(
      'Echo: legacy',
    );
  });

  it('sends a header whose value comes from the secret store, and never shows the value', async () => {
    const upstream = await remote({
      kind: 'streamable',
      requireHeader: { name: 'X-Api-Key', value: 'k-123' },
    });
    const core = await startCore();
    const added = await addRemote(core, {
      spec: {
        name: 'keyed',
        url: upstream.url,
        auth: { type: 'header', header: 'X-Api-Key', secret: 'API_KEY' },
      },
      secretValues: { API_KEY: 'k-123' },
    });
    expect(added.secretsSet).toEqual(['API_KEY']);
    expect(JSON.stringify(added)).not.toContain('k-123');
    await until(core, stateOf('keyed', 'ready'));
    const c = await client(core);
    expect(text(await c.callTool({ name: 'keyed__echo', arguments: { message: 'x' } }))).toBe('Echo: x');
  });

  it('shows a wrong key as the server being down, with the HTTP status in the reason', async () => {
    const upstream = await remote({
      kind: 'streamable',
      requireHeader: { name: 'X-Api-Key', value: 'right' },
    });
    const core = await startCore();
    await addRemote(core, {
      spec: {
        name: 'wrongkey',
        url: upstream.url,
        auth: { type: 'header', header: 'X-Api-Key', secret: 'K' },
      },
      secretValues: { K: 'wrong' },
    });
    const [view] = await until(core, stateOf('wrongkey', 'down'));
    expect(view!.reason).toMatch(/HTTP 401/);
  });

  it('refuses secret values the spec does not declare, and names shared with container servers', async () => {
    const core = await startCore();
    await expect(
      addRemote(core, { spec: { name: 'x', url: 'http://127.0.0.1:9/mcp' }, secretValues: { K: 'v' } }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await addServer(core, { spec: { name: 'taken', image: 'alpine', command: ['true'] } });
    await expect(
      addRemote(core, { spec: { name: 'taken', url: 'http://127.0.0.1:9/mcp' } }),
    ).rejects.toMatchObject({ code: 'SERVER_EXISTS' });
    await addRemote(core, { spec: { name: 'mine', url: 'http://127.0.0.1:9/mcp' } });
    await expect(
      addServer(core, { spec: { name: 'mine', image: 'alpine', command: ['true'] } }),
    ).rejects.toMatchObject({ code: 'SERVER_EXISTS' });
    expect((await core.api.remotes.list()).map((v) => v.spec.name)).toEqual(['mine']);
  });

  it('fails only the calls of a remote that went away or garbles, with its name in the error', async () => {
    const good = await remote({ kind: 'streamable' });
    const flaky = await remote({ kind: 'streamable' });
    const core = await startCore();
    await addRemote(core, { spec: { name: 'good', url: good.url } });
    await addRemote(core, { spec: { name: 'flaky', url: flaky.url } });
    await until(core, (v) => stateOf('good', 'ready')(v) && stateOf('flaky', 'ready')(v));
    const c = await client(core);

    flaky.garble(true);
    const garbled = await c
      .callTool({ name: 'flaky__echo', arguments: { message: 'a' } })
      .catch((e: Error) => e);
    expect(String((garbled as Error).message ?? JSON.stringify(garbled))).toMatch(/flaky/);
    expect(text(await c.callTool({ name: 'good__echo', arguments: { message: 'still' } }))).toBe(
      'Echo: still',
    );
    flaky.garble(false);

    await flaky.close();
    const gone = await c
      .callTool({ name: 'flaky__echo', arguments: { message: 'b' } })
      .catch((e: Error) => e);
    expect(gone).toBeInstanceOf(Error);
    expect((gone as Error).message).toMatch(/flaky/);
    const [down] = (await until(core, stateOf('flaky', 'down'))).filter((v) => v.spec.name === 'flaky');
    expect(down!.reason).toMatch(/cannot reach|ECONNREFUSED/);
    expect(text(await c.callTool({ name: 'good__echo', arguments: { message: 'ok' } }))).toBe('Echo: ok');
  });

  it('times out the calls of a remote that stalls, and only those', async () => {
    const good = await remote({ kind: 'streamable' });
    const slow = await remote({ kind: 'streamable' });
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-remotes-'));
    await writeFile(join(dataDir, 'gateway.json'), JSON.stringify({ version: 1, callTimeoutMs: 1000 }));
    const core = await startCore(dataDir);
    await addRemote(core, { spec: { name: 'good', url: good.url } });
    await addRemote(core, { spec: { name: 'slow', url: slow.url } });
    await until(core, (v) => stateOf('good', 'ready')(v) && stateOf('slow', 'ready')(v));
    const c = await client(core);
    // The session's own upstream session is open before the remote starts to stall.
    expect(text(await c.callTool({ name: 'slow__echo', arguments: { message: 'y' } }))).toBe('Echo: y');
    slow.delay(3000);
    const stalled = await c
      .callTool({ name: 'slow__echo', arguments: { message: 'z' } })
      .catch((e: Error) => e);
    expect((stalled as Error).message).toMatch(/slow: no answer within the call timeout/);
    // A new session whose handshake stalls: the call that waits for it fails the same way.
    const fresh = await client(core, 'remote-test-fresh');
    const opening = await fresh
      .callTool({ name: 'slow__echo', arguments: { message: 'w' } })
      .catch((e: Error) => e);
    expect((opening as Error).message).toMatch(/slow: no answer within the call timeout/);
    expect(text(await c.callTool({ name: 'good__echo', arguments: { message: 'quick' } }))).toBe(
      'Echo: quick',
    );
  });

  it('connects again when the remote comes back on its address', async () => {
    const first = await remote({ kind: 'streamable' });
    const core = await startCore();
    await addRemote(core, { spec: { name: 'back', url: first.url } });
    await until(core, stateOf('back', 'ready'));
    const port = first.port;
    await first.close();
    // The pool notices on its own when the standalone stream cannot be re-opened.
    await until(core, stateOf('back', 'down'), 20_000);
    await remote({ kind: 'streamable', port });
    await until(core, stateOf('back', 'ready'), 20_000);
    const c = await client(core);
    expect(text(await c.callTool({ name: 'back__echo', arguments: { message: 'again' } }))).toBe(
      'Echo: again',
    );
  });

  it('keeps a remote another process added connected when an unrelated secret changes', async () => {
    const upstream = await remote({ kind: 'streamable' });
    const core = await startCore();
    // As `mcp-dock servers add far --url ...` writes it beside the running app.
    await writeFile(
      join(core.dataDir, 'remotes.json'),
      JSON.stringify({ version: 1, remotes: [remoteSpecSchema.parse({ name: 'far', url: upstream.url })] }),
    );
    await until(core, stateOf('far', 'ready'));
    const states: string[] = [];
    const stop = core.api.remotes.onChanged((views) => states.push(views[0]?.state ?? 'gone'));
    closers.push(async () => stop());
    // Another process (gateway --stdio making its credential) writes secrets.json.
    const other = await openSecretStore(core.dataDir, fileKeyProvider(core.dataDir));
    await other.set('@elsewhere', 'value', 'x');
    await new Promise((r) => setTimeout(r, 1500));
    expect(states).not.toContain('connecting');
    expect((await core.api.remotes.list())[0]!.state).toBe('ready');
  });

  it('keeps remote servers across a restart and after removal forgets them and their secrets', async () => {
    const upstream = await remote({
      kind: 'streamable',
      requireHeader: { name: 'Authorization', value: 'Bearer s' },
    });
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-remotes-'));
    const core = await startCore(dataDir);
    await addRemote(core, {
      spec: {
        name: 'kept',
        url: upstream.url,
        auth: { type: 'header', header: 'Authorization', secret: 'TOKEN' },
      },
      secretValues: { TOKEN: 'Bearer s' },
    });
    await core.close();
    const again = await startCore(dataDir);
    await until(again, stateOf('kept', 'ready'));
    await again.api.remotes.remove({ name: 'kept' });
    expect(await again.api.remotes.list()).toEqual([]);
    await expect(again.api.remotes.remove({ name: 'kept' })).rejects.toMatchObject({
      code: 'SERVER_NOT_FOUND',
    });
  });
});
