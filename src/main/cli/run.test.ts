import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type * as RendererFiles from '../core/headless/renderer-files';
import type { CliIo } from './io';
import { runCommand } from './run';

function capture(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), signal: controller.signal, env };
  return { io, out, err, stop: () => controller.abort() };
}

const dataDir = () => mkdtemp(join(tmpdir(), 'mcp-dock-cli-'));

// These tests are about the CLI, not the UI build: they must not need `npm run build` first.
vi.mock('../core/headless/renderer-files', async (original) => ({
  ...(await original<typeof RendererFiles>()),
  assertRendererBuilt: async () => undefined,
}));

describe('mcp-dock', () => {
  it('prints usage and exits 2 without a command', async () => {
    const c = capture();
    expect(await runCommand(undefined, [], c.io)).toBe(2);
    expect(c.out.join('\n')).toMatch(/Usage: mcp-dock <command>[\s\S]*serve/);
    expect(await runCommand('--help', [], c.io)).toBe(0);
  });

  it('refuses an unknown command with exit 2', async () => {
    const c = capture();
    expect(await runCommand('srve', [], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/unknown command "srve"/);
  });

  it.each([[['--port', 'abc']], [['--port', '70000']], [['--bogus']], [['--port']], [['extra-positional']]])(
    'serve %j is a usage error (exit 2) that shows the options',
    async (argv) => {
      const c = capture();
      expect(await runCommand('serve', argv, c.io)).toBe(2);
      expect(c.err.join('\n')).toMatch(/Usage: mcp-dock serve/);
    },
  );

  it('serve --help prints its options', async () => {
    const c = capture();
    expect(await runCommand('serve', ['--help'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/--port P[\s\S]*--data-dir D/);
  });

  it('serve names the busy port and the flag to change (exit 1)', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const c = capture({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
      expect(await runCommand('serve', ['--port', String(port), '--data-dir', await dataDir()], c.io)).toBe(
        1,
      );
      expect(c.err.join('\n')).toMatch(
        new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use.*--port`),
      );
    } finally {
      blocker.close();
    }
  });

  it('serve names a broken settings file and leaves it alone (exit 1)', async () => {
    const dir = await dataDir();
    await writeFile(join(dir, 'settings.json'), '{ nope');
    const c = capture({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(await runCommand('serve', ['--port', '0', '--data-dir', dir], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/settings\.json is invalid \(not JSON/);
  });

  it('serve prints one tokened URL, answers on it, and stops cleanly', async () => {
    const c = capture({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    const running = runCommand('serve', ['--port', '0', '--data-dir', await dataDir(), '--json'], c.io);
    await vi.waitFor(() => expect(c.out.length).toBeGreaterThan(0), { timeout: 5000 });
    const printed = JSON.parse(c.out[0]!) as { url: string; httpOrigin: string };
    expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    const health = await fetch(`${printed.httpOrigin}/healthz`);
    expect(health.status).toBe(200);
    c.stop();
    expect(await running).toBe(0);
    await expect(fetch(`${printed.httpOrigin}/healthz`)).rejects.toThrow();
  });
});

describe('mcp-dock servers and snippet (input errors)', () => {
  it.each([
    [['add', 'x', '--image', 'img'], /needs the MCP command after --/],
    [['add', 'x', '--', 'cmd'], /--image is required/],
    [['add', '--image', 'img', '--', 'cmd'], /needs a server NAME/],
    [['add', 'bad name', '--image', 'img', '--', 'cmd'], /name/],
    [['add', 'x', '--image', 'img', '--env', 'NOEQUALS', '--', 'cmd'], /use --env K=V/],
    [['add', 'x', '--image', 'img', '--mode', 'sideways', '--', 'cmd'], /mode/],
    [
      ['add', 'x', '--image', 'img', '--secret', 'UNSET_SECRET_FOR_TEST', '--', 'cmd'],
      /set the environment variable UNSET_SECRET_FOR_TEST/,
    ],
    [
      ['add', 'x', '--image', 'img', '--mode', 'run', '--secret', 'UNSET_SECRET_FOR_TEST', '--', 'cmd'],
      /set the environment variable UNSET_SECRET_FOR_TEST/,
    ],
    [['start'], /needs a server NAME/],
    [['start', 'x', '--on-clash', 'ignore'], /on-clash/],
    [['explode'], /unknown servers subcommand "explode"/],
  ])('servers %j is a usage error (exit 2)', async (argv, pattern) => {
    const c = capture();
    expect(await runCommand('servers', [...argv, '--data-dir', await dataDir()], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(pattern);
  });

  it('snippet refuses an unknown client and names the valid ones', async () => {
    const c = capture();
    expect(await runCommand('snippet', ['emacs', 'context7'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/cursor, claude-desktop, vscode, windsurf, claude-code/);
  });

  it('snippet prints a catalog server’s Cursor config without an engine', async () => {
    const c = capture({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(await runCommand('snippet', ['cursor', 'context7', '--data-dir', await dataDir()], c.io)).toBe(0);
    expect(JSON.parse(c.out.join('\n'))).toMatchObject({
      mcpServers: {
        context7: {
          command: 'docker',
          args: ['exec', '-i', 'mcp-node-server-docker', 'npx', '-y', '@upstash/context7-mcp@latest'],
        },
      },
    });
  });

  it('servers start without an engine says so (exit 1) and leaves the data alone', async () => {
    const dir = await dataDir();
    const c = capture({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(await runCommand('servers', ['start', 'context7', '--data-dir', dir], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(
      /Docker engine is not reachable: no engine socket at \/nonexistent\/docker\.sock\./,
    );
  });

  it('serve says when a file another process changed could not be taken in, and keeps running', async () => {
    const dir = await dataDir();
    const c = capture({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    const running = runCommand('serve', ['--port', '0', '--data-dir', dir, '--json'], c.io);
    await vi.waitFor(() => expect(c.out.length).toBeGreaterThan(0), { timeout: 5000 });
    await writeFile(join(dir, 'gateway.json'), '{ "callTimeoutMs": ');
    await vi.waitFor(
      () => expect(c.err.join('\n')).toMatch(/gateway\.json changed on disk but was not taken in: .*invalid/),
      {
        timeout: 5000,
      },
    );
    c.stop();
    expect(await running).toBe(0);
  });
});
