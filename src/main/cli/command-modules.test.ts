import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { CliIo } from './io';

// A command loads only what it uses: oidc-provider, the MCP SDK, dockerode and jose took most of the
// 0.7 s every command spent starting (bench/sections/cli.ts measures it). Loading one of them
// here fails the import, so a command whose module graph grows back to them fails this test.
const { refuse } = vi.hoisted(() => ({
  refuse: (name: string) => () => {
    throw new Error(`${name} was loaded`);
  },
}));
vi.mock('oidc-provider', refuse('oidc-provider'));
vi.mock('jose', refuse('jose'));
vi.mock('dockerode', refuse('dockerode'));
vi.mock('@modelcontextprotocol/sdk/client/index.js', refuse('the MCP SDK client'));
vi.mock('@modelcontextprotocol/sdk/client/streamableHttp.js', refuse('the MCP SDK client'));
vi.mock('@modelcontextprotocol/sdk/server/mcp.js', refuse('the MCP SDK server'));
vi.mock('@modelcontextprotocol/sdk/server/stdio.js', refuse('the MCP SDK server'));

function capture(stdio?: CliIo['stdio']) {
  const err: string[] = [];
  const out: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    signal: new AbortController().signal,
    env: {},
    ...(stdio ? { stdio } : {}),
  };
  return { io, out, err };
}

describe('what a command loads', () => {
  it('gateway --stdio says the app is not running before loading the MCP SDK', async () => {
    const { runCommand } = await import('./run');
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-cli-modules-'));
    const { io, err } = capture({ input: new PassThrough(), output: new PassThrough() });
    // Port 1: nothing listens there.
    const code = await runCommand(
      'gateway',
      ['--stdio', '--data-dir', dataDir, '--url', 'http://127.0.0.1:1/mcp'],
      io,
    );
    expect(err.join('\n')).toContain('MCP Dock is not running at http://127.0.0.1:1');
    expect(code).not.toBe(0);
  });

  it('clients loads the OAuth store, not the authorization server', async () => {
    const { runCommand } = await import('./run');
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-cli-modules-'));
    const { io, out } = capture();
    expect(await runCommand('clients', ['list', '--data-dir', dataDir], io)).toBe(0);
    expect(out[0]).toMatch(/^CLIENT_ID/);
  });

  it.each(['crypto', 'pii', 'audit', 'token'] as const)('%s loads none of them', async (name) => {
    const { commands } = await import('./commands/index');
    await expect(commands[name]()).resolves.toBeTypeOf('function');
  });
});
