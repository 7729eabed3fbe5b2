import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../../shared/engine';
import { serverSpecSchema, type ServerSpecInput, type ServerView } from '../../../shared/servers';
import { createClientConfigsApi } from './client-configs-api';
import { clientConfigPath } from './snippets';

const CHECKED_AT = '2026-11-22T00:00:00.000Z';

function engineAt(endpoint: string, source: string) {
  const status: EngineStatus = { state: 'checking', endpoint, source, checkedAt: CHECKED_AT };
  return { status: () => status };
}

// The two things the api asks the container manager: the server as it stands, and (run mode) who
// the container runs as.
function managerWith(input: ServerSpecInput) {
  const spec = serverSpecSchema.parse(input);
  const view: ServerView = {
    spec,
    source: 'user',
    containerName: `mcp-dock-${spec.name}`,
    container: { state: 'running', adopted: false, id: 'c1' },
    health: { status: 'unknown' },
    secretsSet: [],
  };
  return {
    view: (name: string) => {
      if (name !== spec.name) throw new Error(`no server ${name}`);
      return view;
    },
    runIdentity: async () => ({ user: '1000:1000', instance: 'i-1' }),
  };
}

const SEQ = { name: 'seq', image: 'img:1', command: ['srv', '--stdio'] };

describe('client configs api', () => {
  it('writes the server’s launch into the client’s own file, reports it, and takes it out again', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mcp-dock-home-'));
    const api = createClientConfigsApi(
      managerWith(SEQ),
      engineAt('unix:///var/run/docker.sock', 'default socket'),
      home,
    );
    const file = join(home, '.cursor', 'mcp.json');

    expect(await api.has({ client: 'cursor', server: 'seq' })).toEqual({ path: file, present: false });
    expect(await api.add({ client: 'cursor', server: 'seq' })).toEqual({ path: file, changed: true });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      mcpServers: { seq: { command: 'docker', args: ['exec', '-i', 'mcp-dock-seq', 'srv', '--stdio'] } },
    });
    expect(await api.has({ client: 'cursor', server: 'seq' })).toEqual({ path: file, present: true });

    expect(await api.remove({ client: 'cursor', server: 'seq' })).toMatchObject({
      path: file,
      changed: true,
    });
    expect(await api.has({ client: 'cursor', server: 'seq' })).toEqual({ path: file, present: false });
  });

  it('carries a DOCKER_HOST MCP Dock was told about, so the client reaches the same engine', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mcp-dock-home-'));
    const api = createClientConfigsApi(
      managerWith(SEQ),
      engineAt('unix:///tmp/d/docker.sock', 'DOCKER_HOST'),
      home,
    );
    const { path } = await api.add({ client: 'cursor', server: 'seq' });
    const entry = (
      JSON.parse(await readFile(path, 'utf8')) as { mcpServers: Record<string, { env?: object }> }
    ).mcpServers.seq;
    expect(entry?.env).toEqual({ DOCKER_HOST: 'unix:///tmp/d/docker.sock' });
  });

  it('launches a run-mode server as the user and instance the manager names', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mcp-dock-home-'));
    const api = createClientConfigsApi(
      managerWith({ ...SEQ, mode: 'run' }),
      engineAt('unix:///var/run/docker.sock', 'default socket'),
      home,
    );
    const { path } = await api.add({ client: 'cursor', server: 'seq' });
    const args = (JSON.parse(await readFile(path, 'utf8')) as { mcpServers: { seq: { args: string[] } } })
      .mcpServers.seq.args;
    expect(args.slice(0, 3)).toEqual(['run', '-i', '--rm']);
    expect(args.join(' ')).toContain('1000:1000');
    expect(args.join(' ')).toContain('i-1');
  });

  it('refuses Claude Code, which keeps its own list, and says what to run instead', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mcp-dock-home-'));
    const api = createClientConfigsApi(
      managerWith(SEQ),
      engineAt('unix:///var/run/docker.sock', 'default socket'),
      home,
    );
    for (const call of [api.add, api.remove, api.has]) {
      await expect(call({ client: 'claude-code', server: 'seq' })).rejects.toMatchObject({
        code: 'CLIENT_UNSUPPORTED',
        message: expect.stringContaining('claude mcp add'),
      });
    }
  });

  it('writes YAML and TOML clients’ files in their own format, where each keeps its config', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mcp-dock-home-'));
    const api = createClientConfigsApi(
      managerWith(SEQ),
      engineAt('unix:///var/run/docker.sock', 'default socket'),
      home,
    );
    const docker = ['exec', '-i', 'mcp-dock-seq', 'srv', '--stdio'];
    const goose = await api.add({ client: 'goose', server: 'seq' });
    expect(goose.path).toBe(clientConfigPath('goose', { home }));
    expect(await readFile(goose.path, 'utf8')).toContain(
      `extensions:\n  seq:\n    name: seq\n    type: stdio\n    cmd: docker\n`,
    );
    const codex = await api.add({ client: 'codex-cli', server: 'seq' });
    expect(codex.path).toBe(join(home, '.codex', 'config.toml'));
    expect(await readFile(codex.path, 'utf8')).toBe(
      `[mcp_servers.seq]\ncommand = "docker"\nargs = ${JSON.stringify(docker).replace(/,/g, ', ')}\n`,
    );
    expect(await api.has({ client: 'codex-cli', server: 'seq' })).toEqual({
      path: codex.path,
      present: true,
    });
    await api.remove({ client: 'codex-cli', server: 'seq' });
    expect(await api.has({ client: 'codex-cli', server: 'seq' })).toEqual({
      path: codex.path,
      present: false,
    });
  });

  it('refuses JetBrains, whose servers live in the IDE’s settings, and says where to paste', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mcp-dock-home-'));
    const api = createClientConfigsApi(
      managerWith(SEQ),
      engineAt('unix:///var/run/docker.sock', 'default socket'),
      home,
    );
    await expect(api.add({ client: 'jetbrains', server: 'seq' })).rejects.toMatchObject({
      code: 'CLIENT_UNSUPPORTED',
      message: expect.stringContaining('Settings | Tools | AI Assistant | Model Context Protocol (MCP)'),
    });
  });
});
