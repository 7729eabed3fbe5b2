import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { profileSchema, type ProfileInput } from '../../../shared/profiles';
import { remoteSpecSchema } from '../../../shared/remotes';
import { startBareCore } from '../../../../test-support/headless-core';
import {
  gatewayHttpClient,
  gatewayStdioClient,
  gatewayToken,
} from '../../../../test-support/gateway-clients';
import { startRemoteMcpServer } from '../../../../test-support/remote-mcp-server';
import type { Core } from '../create-core';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

// Two remote servers (echo and whoami each) behind a core: enough to select one whole and one tool.
async function coreWithServers(dataDir?: string, clientHome?: string): Promise<Core> {
  const core = await startBareCore(dataDir, clientHome ? { clientHome } : {});
  closers.push(() => core.close());
  for (const name of ['alpha', 'beta']) {
    const upstream = await startRemoteMcpServer({ kind: 'streamable', name });
    closers.push(() => upstream.close());
    await core.api.remotes.add({ spec: remoteSpecSchema.parse({ name, url: upstream.url }) });
  }
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { servers } = await core.api.gateway.status();
    if (servers.filter((s) => s.state === 'ready').length === 2) break;
    if (Date.now() > deadline) throw new Error(`servers not ready: ${JSON.stringify(servers)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return core;
}

const addProfile = (core: Core, input: ProfileInput) => core.api.profiles.add(profileSchema.parse(input));

async function client(core: Core, path: string, name = 'profile-test'): Promise<Client> {
  const c = await gatewayHttpClient(core, name, path);
  closers.push(() => c.close());
  return c;
}

const names = async (c: Client) => (await c.listTools()).tools.map((t) => t.name).sort();
const text = (result: unknown) =>
  ((result as { content: { type: string; text: string }[] }).content[0] ?? { text: '' }).text;

const tokenFor = (core: Core, resource: string) => gatewayToken(core, `t-${Math.random()}`, resource);

const initialize = (token: string) => ({
  method: 'POST',
  headers: {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  },
  body: JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  }),
});

describe('profiles: an endpoint per selection of servers and tools', () => {
  it('serves only the profile’s servers and tools at /mcp/p/<name>, while /mcp stays everything', async () => {
    const core = await coreWithServers();
    const view = await addProfile(core, {
      name: 'dev',
      servers: ['alpha'],
      tools: [{ server: 'beta', tool: 'echo' }],
    });
    expect(view.url).toBe(`${core.httpOrigin}/mcp/p/dev`);
    expect(view.missingServers).toEqual([]);

    const dev = await client(core, '/mcp/p/dev');
    expect(await names(dev)).toEqual(['alpha__echo', 'alpha__whoami', 'beta__echo']);
    // The Gateway pane says where each session is.
    expect((await core.api.gateway.status()).sessions).toEqual([
      expect.objectContaining({ clientId: 'profile-test', profile: 'dev' }),
    ]);
    expect(text(await dev.callTool({ name: 'beta__echo', arguments: { message: 'hi' } }))).toBe('Echo: hi');

    // A tool outside the profile is not there: refused as unknown, and audited as such.
    await expect(dev.callTool({ name: 'beta__whoami', arguments: {} })).rejects.toThrow(
      /Unknown tool: beta__whoami/,
    );
    await expect(dev.callTool({ name: 'test_pii_detection', arguments: { text: 'x' } })).rejects.toThrow(
      /Unknown tool/,
    );
    const events = await core.api.audit.query({ limit: 50 });
    expect(events.find((e) => e.tool_name === 'whoami' && e.outcome === 'error')).toMatchObject({
      server: 'beta',
      detail: 'not in profile dev',
    });

    const all = await client(core, '/mcp', 'everything');
    expect(await names(all)).toEqual(
      expect.arrayContaining([
        'alpha__echo',
        'alpha__whoami',
        'beta__echo',
        'beta__whoami',
        'test_pii_detection',
      ]),
    );
  });

  it('issues tokens for exactly the profile’s resource and publishes its metadata', async () => {
    const core = await coreWithServers();
    await addProfile(core, { name: 'ops', servers: ['beta'] });

    const meta = await fetch(`${core.httpOrigin}/.well-known/oauth-protected-resource/mcp/p/ops`);
    expect(meta.status).toBe(200);
    expect(await meta.json()).toMatchObject({
      resource: `${core.httpOrigin}/mcp/p/ops`,
      authorization_servers: [core.httpOrigin],
      resource_name: 'MCP Dock profile ops',
    });
    expect((await fetch(`${core.httpOrigin}/.well-known/oauth-protected-resource/mcp/p/nope`)).status).toBe(
      404,
    );

    // A token for /mcp is not one for the profile, and the challenge says where to look.
    const forAll = await tokenFor(core, `${core.httpOrigin}/mcp`);
    const refused = await fetch(`${core.httpOrigin}/mcp/p/ops`, initialize(forAll));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain(
      `resource_metadata="${core.httpOrigin}/.well-known/oauth-protected-resource/mcp/p/ops"`,
    );
    const forOps = await tokenFor(core, `${core.httpOrigin}/mcp/p/ops`);
    expect((await fetch(`${core.httpOrigin}/mcp/p/ops`, initialize(forOps))).status).toBe(200);
    // ...and the profile's token is not one for /mcp.
    expect((await fetch(`${core.httpOrigin}/mcp`, initialize(forOps))).status).toBe(401);

    // A profile that does not exist: a clear 404, and no token is issued for it.
    const missing = await fetch(`${core.httpOrigin}/mcp/p/nope`, initialize(forOps));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain(
      'No profile named "nope"',
    );
    await expect(tokenFor(core, `${core.httpOrigin}/mcp/p/nope`)).rejects.toThrow(/invalid_target/);
  });

  it('tells open sessions when the profile changes, and ends them when it is removed', async () => {
    const core = await coreWithServers();
    await addProfile(core, { name: 'dev', servers: ['alpha'] });
    const dev = await client(core, '/mcp/p/dev');
    expect(await names(dev)).toEqual(['alpha__echo', 'alpha__whoami']);
    const changed = new Promise<void>((resolve) =>
      dev.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()),
    );
    await core.api.profiles.update({
      name: 'dev',
      profile: profileSchema.parse({ name: 'dev', servers: [], tools: [{ server: 'beta', tool: 'whoami' }] }),
    });
    await changed;
    expect(await names(dev)).toEqual(['beta__whoami']);

    await core.api.profiles.remove({ name: 'dev' });
    await expect(dev.listTools()).rejects.toThrow();
    expect((await core.api.profiles.list()).map((p) => p.name)).toEqual([]);
  });

  it('refuses bad profiles with clear errors and leaves the others as they were', async () => {
    const core = await coreWithServers();
    await addProfile(core, { name: 'dev', servers: ['alpha'] });
    await expect(addProfile(core, { name: 'dev', servers: [] })).rejects.toMatchObject({
      code: 'PROFILE_EXISTS',
    });
    await expect(addProfile(core, { name: 'x', servers: ['nosuch'] })).rejects.toMatchObject({
      code: 'SERVER_NOT_FOUND',
    });
    await expect(
      core.api.profiles.update({ name: 'ghost', profile: profileSchema.parse({ name: 'ghost' }) }),
    ).rejects.toMatchObject({ code: 'PROFILE_NOT_FOUND' });
    expect(() => profileSchema.parse({ name: 'Has Space' })).toThrow(/lowercase letters/);
    expect((await core.api.profiles.list()).map((p) => p.name)).toEqual(['dev']);

    // A server removed later is shown as missing; editing the profile does not fail over it.
    await core.api.remotes.remove({ name: 'alpha' });
    const [dev] = await core.api.profiles.list();
    expect(dev!.missingServers).toEqual(['alpha']);
    await core.api.profiles.update({
      name: 'dev',
      profile: profileSchema.parse({ name: 'dev', servers: ['alpha'], search: true }),
    });
  });

  it('follows profiles.json written by another process, and refuses to start on a broken one', async () => {
    const core = await coreWithServers();
    const file = join(core.dataDir, 'profiles.json');
    await writeFile(file, JSON.stringify({ version: 1, profiles: [{ name: 'cli', servers: ['beta'] }] }));
    const deadline = Date.now() + 10_000;
    while (!(await core.api.profiles.list()).some((p) => p.name === 'cli')) {
      if (Date.now() > deadline) throw new Error('profiles.json was not followed');
      await new Promise((r) => setTimeout(r, 50));
    }
    const cli = await client(core, '/mcp/p/cli');
    expect(await names(cli)).toEqual(['beta__echo', 'beta__whoami']);
    await core.close();

    await writeFile(file, '{ "version": 1, "profiles": [ { "name": "Bad Name" } ] }');
    await expect(startBareCore(core.dataDir)).rejects.toMatchObject({ code: 'STORE_FILE_INVALID' });
  });

  it('applies the profile’s call policy and PII policy in place of the servers’ defaults', async () => {
    const core = await coreWithServers();
    await addProfile(core, { name: 'locked', servers: ['alpha'], callPolicy: 'deny' });
    await addProfile(core, { name: 'strict', servers: ['beta'], piiPolicy: { action: 'reject' } });
    const locked = await client(core, '/mcp/p/locked');
    const denied = await locked.callTool({ name: 'alpha__echo', arguments: { message: 'hi' } });
    expect(denied.isError).toBe(true);
    expect(text(denied)).toMatch(/CALL_DENIED: .*set for the profile/);

    const strict = await client(core, '/mcp/p/strict', 'strict');
    const rejected = await strict.callTool({
      name: 'beta__echo',
      arguments: { message: 'mail jane@example.com' },
    });
    expect(rejected.isError).toBe(true);
    expect(text(rejected)).toMatch(/PII_REJECTED/);
    // /mcp keeps the servers' own policy (masking by default).
    const all = await client(core, '/mcp', 'all');
    expect(
      text(await all.callTool({ name: 'beta__echo', arguments: { message: 'mail jane@example.com' } })),
    ).not.toContain('jane@example.com');
  });

  it('gives each client the profile’s entry, and writes it beside the gateway’s in its config', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mcp-dock-home-'));
    const core = await coreWithServers(undefined, home);
    await addProfile(core, { name: 'dev', servers: ['alpha'] });
    const cursor = await core.api.gateway.snippet({ client: 'cursor', form: 'url', profile: 'dev' });
    expect(cursor).toMatchObject({
      entryName: 'mcp-dock-dev',
      profile: 'dev',
      url: `${core.httpOrigin}/mcp/p/dev`,
    });
    expect(JSON.parse(cursor.text)).toEqual({
      mcpServers: { 'mcp-dock-dev': { url: `${core.httpOrigin}/mcp/p/dev` } },
    });
    const codex = await core.api.gateway.snippet({ client: 'codex-cli', form: 'stdio', profile: 'dev' });
    expect(codex.format).toBe('toml');
    expect(codex.launch!.args).toEqual(expect.arrayContaining(['gateway', '--stdio', '--profile', 'dev']));
    await expect(
      core.api.gateway.snippet({ client: 'cursor', form: 'url', profile: 'nope' }),
    ).rejects.toMatchObject({
      code: 'PROFILE_NOT_FOUND',
    });

    const file = join(home, '.cursor', 'mcp.json');
    await mkdir(join(home, '.cursor'), { recursive: true });
    await writeFile(file, '{\n  // mine\n  "mcpServers": { "other": { "command": "x" } }\n}\n');
    await core.api.clientConfigs.add({ client: 'cursor', gateway: { form: 'url' } });
    const added = await core.api.clientConfigs.add({
      client: 'cursor',
      gateway: { form: 'url', profile: 'dev' },
    });
    expect(added).toMatchObject({ path: file, changed: true });
    const text = await readFile(file, 'utf8');
    expect(text).toContain('// mine');
    expect(text).toContain(`"mcp-dock": {`);
    expect(text).toContain(`"url": "${core.httpOrigin}/mcp/p/dev"`);
    expect(
      await core.api.clientConfigs.has({ client: 'cursor', gateway: { form: 'url', profile: 'dev' } }),
    ).toEqual({
      path: file,
      present: true,
    });
    await core.api.clientConfigs.remove({ client: 'cursor', gateway: { form: 'url', profile: 'dev' } });
    expect(await readFile(file, 'utf8')).not.toContain('mcp-dock-dev');
    expect(await readFile(file, 'utf8')).toContain('"mcp-dock"');
  });

  it('relays a profile over stdio (gateway --stdio --profile)', async () => {
    const core = await coreWithServers();
    await addProfile(core, { name: 'dev', tools: [{ server: 'alpha', tool: 'whoami' }] });
    const { client: c, stop } = await gatewayStdioClient(core, 'stdio-profile', '/mcp/p/dev');
    closers.push(stop);
    closers.push(() => c.close());
    expect(await names(c)).toEqual(['alpha__whoami']);
  });
});

describe('tool search: find_tools and call_tool instead of every tool', () => {
  it('ranks the profile’s tools for a query and calls one with every protection, audited as itself', async () => {
    const core = await coreWithServers();
    await addProfile(core, {
      name: 'lean',
      servers: ['alpha'],
      tools: [{ server: 'beta', tool: 'echo' }],
      search: true,
    });
    const lean = await client(core, '/mcp/p/lean');
    expect(await names(lean)).toEqual(['call_tool', 'find_tools']);

    const found = await lean.callTool({
      name: 'find_tools',
      arguments: { query: 'which bearer token did I use', limit: 2 },
    });
    const hits = JSON.parse(text(found)) as { name: string; description: string; inputSchema: unknown }[];
    expect(hits[0]).toMatchObject({
      name: 'alpha__whoami',
      description: 'Says which bearer token the call came with',
      inputSchema: { type: 'object' },
    });
    expect(hits.length).toBeLessThanOrEqual(2);
    // Only the profile's tools are searched.
    const echoes = (
      JSON.parse(
        text(await lean.callTool({ name: 'find_tools', arguments: { query: 'echo a message back' } })),
      ) as { name: string }[]
    ).map((t) => t.name);
    expect(echoes).toEqual(expect.arrayContaining(['alpha__echo', 'beta__echo']));
    expect(echoes).not.toContain('beta__whoami');

    const called = await lean.callTool({
      name: 'call_tool',
      arguments: { name: 'beta__echo', arguments: { message: 'via search' } },
    });
    expect(text(called)).toBe('Echo: via search');
    const events = await core.api.audit.query({ limit: 50 });
    expect(events.some((e) => e.tool_name === 'echo' && e.server === 'beta' && e.outcome === 'ok')).toBe(
      true,
    );
    expect(events.some((e) => e.tool_name === 'call_tool')).toBe(false);

    // Outside the profile, or bad input: a tool error the model can read.
    const outside = await lean.callTool({ name: 'call_tool', arguments: { name: 'beta__whoami' } });
    expect(outside.isError).toBe(true);
    expect(text(outside)).toMatch(/Unknown tool: beta__whoami.*find_tools/);
    const bad = await lean.callTool({ name: 'find_tools', arguments: { query: '' } });
    expect(bad.isError).toBe(true);
    const none = await lean.callTool({ name: 'find_tools', arguments: { query: 'kubernetes pods' } });
    expect(text(none)).toMatch(/No tool matches/);
  });

  it('turns on for /mcp with gateway.json toolSearch', async () => {
    const core = await coreWithServers();
    await writeFile(join(core.dataDir, 'gateway.json'), JSON.stringify({ version: 1, toolSearch: true }));
    const deadline = Date.now() + 10_000;
    for (;;) {
      const all = await gatewayHttpClient(core, `search-${Date.now()}`);
      closers.push(() => all.close());
      const listed = await names(all);
      if (listed.join() === 'call_tool,find_tools') break;
      if (Date.now() > deadline) throw new Error(`still listing ${listed.join()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});
