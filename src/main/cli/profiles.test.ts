import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeadlessCore } from '../../../test-support/headless-core';
import { StreamClientTransport } from '../../../test-support/stream-client-transport';
import type { Core } from '../core/create-core';
import type { CliIo } from './io';
import { runCommand } from './run';

let core: Core;
beforeAll(async () => {
  core = await startHeadlessCore();
});
afterAll(() => core.close());

const env = { ...process.env, DOCKER_HOST: 'unix:///fake.sock' };

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    signal: new AbortController().signal,
    env,
  };
  const code = await runCommand(argv[0], [...argv.slice(1), '--data-dir', core.dataDir], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// `mcp-dock gateway --stdio ...` with an SDK client on its stdio.
async function stdioClient(argv: string[]) {
  const toRelay = new PassThrough();
  const fromRelay = new PassThrough();
  const err: string[] = [];
  const io: CliIo = {
    out: () => undefined,
    err: (l) => err.push(l),
    signal: new AbortController().signal,
    env,
    stdio: { input: toRelay, output: fromRelay },
  };
  const done = runCommand('gateway', [...argv, '--data-dir', core.dataDir], io);
  const client = new Client({ name: 'profile-cli-test', version: '1' });
  await client.connect(new StreamClientTransport(fromRelay, toRelay));
  return { client, done, err };
}

async function untilApp(check: () => Promise<boolean>) {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the app did not follow profiles.json');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('mcp-dock profiles', () => {
  it('adds, lists and removes profiles that the running app serves at once', async () => {
    const added = await cli(['profiles', 'add', 'sec', '--own-tools', '--description', 'security tools']);
    expect(added).toMatchObject({ code: 0 });
    expect(added.out).toContain(`Added profile sec: ${core.httpOrigin}/mcp/p/sec`);
    expect(added.out).toContain('mcp-dock gateway --stdio --profile sec');

    const listed = await cli(['profiles', 'list', '--json']);
    expect(JSON.parse(listed.out)).toEqual([
      expect.objectContaining({
        name: 'sec',
        ownTools: true,
        search: false,
        description: 'security tools',
        url: `${core.httpOrigin}/mcp/p/sec`,
      }),
    ]);
    expect((await cli(['profiles', 'list'])).out).toMatch(
      /^sec {2}http:.*\/mcp\/p\/sec\n {2}MCP Dock tools\n {2}security tools$/,
    );

    await untilApp(async () => (await core.api.profiles.list()).some((p) => p.name === 'sec'));
    const relay = await stdioClient(['--stdio', '--profile', 'sec']);
    const { tools } = await relay.client.listTools();
    expect(tools.map((t) => t.name)).toContain('test_pii_detection');
    await relay.client.close();
    expect(await relay.done).toBe(0);

    // Each client's entry for the profile: by URL where it signs in itself, else the stdio relay.
    const cursor = await cli(['snippet', 'cursor', '--profile', 'sec']);
    expect(JSON.parse(cursor.out)).toEqual({
      mcpServers: { 'mcp-dock-sec': { url: `${core.httpOrigin}/mcp/p/sec` } },
    });
    const desktop = JSON.parse(
      (await cli(['snippet', 'claude-desktop', '--profile', 'sec', '--json'])).out,
    ) as {
      launch: { args: string[] };
      profile: string;
    };
    expect(desktop.profile).toBe('sec');
    expect(desktop.launch.args).toEqual(
      expect.arrayContaining(['gateway', '--stdio', '--profile', 'sec', '--data-dir', core.dataDir]),
    );
    expect(JSON.parse((await cli(['snippet', 'vscode', '--gateway'])).out)).toEqual({
      servers: { 'mcp-dock': { type: 'http', url: `${core.httpOrigin}/mcp` } },
    });
    expect((await cli(['snippet', 'cursor', '--profile', 'nope'])).err).toContain('No profile named "nope"');
    expect((await cli(['snippet', 'cursor'])).err).toContain(
      'snippet needs SERVER, --gateway or --profile NAME',
    );

    expect(await cli(['profiles', 'remove', 'sec'])).toMatchObject({ code: 0, out: 'Removed profile sec.' });
    expect((await cli(['profiles', 'list'])).out).toContain('No profiles.');
  });

  it('turns on tool search for a profile', async () => {
    expect((await cli(['profiles', 'add', 'lean', '--own-tools', '--search'])).code).toBe(0);
    await untilApp(async () => (await core.api.profiles.list()).some((p) => p.name === 'lean'));
    const relay = await stdioClient(['--stdio', '--profile', 'lean']);
    const { tools } = await relay.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['call_tool', 'find_tools']);
    const found = await relay.client.callTool({
      name: 'find_tools',
      arguments: { query: 'encrypt some text' },
    });
    const [first] = JSON.parse((found.content as { text: string }[])[0]!.text) as { name: string }[];
    expect(first!.name).toBe('test_encryption');
    await relay.client.close();
    await relay.done;
    await cli(['profiles', 'remove', 'lean']);
  });

  it('says clearly what is wrong, and changes nothing', async () => {
    const unknownServer = await cli(['profiles', 'add', 'x', '--server', 'nosuch']);
    expect(unknownServer.code).not.toBe(0);
    expect(unknownServer.err).toContain('No server named "nosuch"');
    const badTool = await cli(['profiles', 'add', 'x', '--tool', 'nosuch__thing']);
    expect(badTool.err).toContain('--tool nosuch__thing: name a tool as clients see it');
    expect((await cli(['profiles', 'add', 'Bad Name', '--own-tools'])).err).toContain('lowercase letters');
    expect((await cli(['profiles', 'add', 'empty'])).err).toContain(
      'needs at least one --server, --tool or --own-tools',
    );
    expect((await cli(['profiles', 'add', 'p', '--own-tools', '--call-policy', 'maybe'])).err).toContain(
      '--call-policy',
    );
    await cli(['profiles', 'add', 'twice', '--own-tools']);
    expect((await cli(['profiles', 'add', 'twice', '--own-tools'])).err).toContain(
      'A profile named "twice" exists already',
    );
    expect((await cli(['profiles', 'remove', 'ghost'])).err).toContain('No profile named "ghost"');
    expect(
      JSON.parse((await cli(['profiles', 'list', '--json'])).out).map((p: { name: string }) => p.name),
    ).toEqual(['twice']);
    let relayErr = '';
    const relay = runCommand('gateway', ['--stdio', '--profile', 'ghost', '--data-dir', core.dataDir], {
      out: () => undefined,
      err: (l) => (relayErr += l),
      signal: new AbortController().signal,
      env,
      stdio: { input: new PassThrough(), output: new PassThrough() },
    });
    expect(await relay).not.toBe(0);
    expect(relayErr).toContain('No profile named "ghost"');
    await cli(['profiles', 'remove', 'twice']);
  });
});
