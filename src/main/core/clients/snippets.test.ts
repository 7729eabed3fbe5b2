import { describe, expect, it } from 'vitest';
import { serverSpecSchema } from '../../../shared/servers';
import { CLIENT_IDS } from '../../../shared/snippets';
import { buildSnippet, clientConfigPath, shellQuote, stdioLaunch } from './snippets';

const spec = serverSpecSchema.parse({
  name: 'seq',
  image: 'node:20-slim',
  command: ['npx', '-y', '@modelcontextprotocol/server-sequential-thinking'],
});

describe('snippets', () => {
  it('uses the guide’s docker exec -i form for exec mode', () => {
    expect(stdioLaunch(spec, 'mcp-dock-seq')).toEqual({
      command: 'docker',
      args: ['exec', '-i', 'mcp-dock-seq', 'npx', '-y', '@modelcontextprotocol/server-sequential-thinking'],
    });
  });

  it('uses a hardened docker run -i --rm for run mode', () => {
    const run = stdioLaunch({ ...spec, mode: 'run', env: { A: 'b' } }, 'unused');
    expect(run.args.slice(0, 3)).toEqual(['run', '-i', '--rm']);
    expect(run.args).toEqual(
      expect.arrayContaining([
        '--cap-drop',
        'ALL',
        '--read-only',
        '--network',
        'none',
        '--pids-limit',
        '256',
        '-e',
        'A=b',
      ]),
    );
    expect(run.args.slice(-4)).toEqual([
      'node:20-slim',
      'npx',
      '-y',
      '@modelcontextprotocol/server-sequential-thinking',
    ]);
  });

  it('has no snippet for a run-mode server with secrets (only MCP Dock can start its sessions)', () => {
    expect(() => stdioLaunch({ ...spec, mode: 'run', secrets: ['API_KEY'] }, 'unused')).toThrow(
      expect.objectContaining({
        code: 'SNIPPET_UNAVAILABLE',
        message: expect.stringMatching(/through the gateway/),
      }),
    );
    // An OCI image's own command: nothing after the image.
    expect(stdioLaunch({ ...spec, mode: 'run', command: [] }, 'unused').args.at(-1)).toBe('node:20-slim');
  });

  it('writes each client’s own format', () => {
    const cursor = JSON.parse(buildSnippet('cursor', spec, 'c').text) as Record<string, unknown>;
    expect(cursor).toEqual({
      mcpServers: {
        seq: {
          command: 'docker',
          args: ['exec', '-i', 'c', 'npx', '-y', '@modelcontextprotocol/server-sequential-thinking'],
        },
      },
    });
    expect(JSON.parse(buildSnippet('claude-desktop', spec, 'c').text)).toEqual(cursor);
    expect(JSON.parse(buildSnippet('windsurf', spec, 'c').text)).toEqual(cursor);
    expect(JSON.parse(buildSnippet('vscode', spec, 'c').text)).toEqual({
      servers: {
        seq: {
          type: 'stdio',
          command: 'docker',
          args: ['exec', '-i', 'c', 'npx', '-y', '@modelcontextprotocol/server-sequential-thinking'],
        },
      },
    });
    expect(buildSnippet('claude-code', spec, 'c').text).toBe(
      'claude mcp add --transport stdio seq -- docker exec -i c npx -y @modelcontextprotocol/server-sequential-thinking\n',
    );
  });

  it('carries DOCKER_HOST when the engine is not the default, in every format', () => {
    for (const client of CLIENT_IDS) {
      expect(buildSnippet(client, spec, 'c', { dockerHost: 'unix:///x/docker.sock' }).text, client).toContain(
        'unix:///x/docker.sock',
      );
    }
  });

  it('builds install deep links that decode back to the launch', () => {
    const cursor = new URL(buildSnippet('cursor', spec, 'c').deepLink!);
    expect(cursor.protocol).toBe('cursor:');
    expect(JSON.parse(Buffer.from(cursor.searchParams.get('config')!, 'base64').toString())).toMatchObject({
      command: 'docker',
    });
    const vscode = buildSnippet('vscode', spec, 'c').deepLink!;
    expect(JSON.parse(decodeURIComponent(vscode.slice('vscode:mcp/install?'.length)))).toMatchObject({
      name: 'seq',
      type: 'stdio',
      command: 'docker',
    });
  });

  it('quotes shell words only when needed', () => {
    expect(shellQuote('plain-word_1.2/x')).toBe('plain-word_1.2/x');
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
    expect(shellQuote('$(rm -rf /)')).toBe(`'$(rm -rf /)'`);
  });

  it('knows where each client keeps its config per OS', () => {
    expect(clientConfigPath('claude-desktop', { platform: 'darwin', home: '/Users/u' })).toBe(
      '/Users/u/Library/Application Support/Claude/claude_desktop_config.json',
    );
    expect(clientConfigPath('vscode', { platform: 'linux', home: '/home/u', env: {} })).toBe(
      '/home/u/.config/Code/User/mcp.json',
    );
    expect(clientConfigPath('cursor', { platform: 'linux', home: '/home/u' })).toBe(
      '/home/u/.cursor/mcp.json',
    );
    expect(clientConfigPath('claude-code')).toBeUndefined();
  });
});
