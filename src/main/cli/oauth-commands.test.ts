import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeEngine } from '../../../test-support/fake-engine';
import { createCore } from '../core/create-core';
import type { CliIo } from './io';
import { runCommand } from './run';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    signal: new AbortController().signal,
    env: {},
  };
  return { io, out, err };
}

describe('mcp-dock clients and token', () => {
  it('adds a client printing only {client_id, client_secret}, gets a token from the running app, lists and revokes', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-cli-oauth-'));
    const add = capture();
    expect(
      await runCommand(
        'clients',
        [
          'add',
          '--name',
          'ci-bot',
          '--grant',
          'client_credentials',
          '--scope',
          'mcp.access',
          '--data-dir',
          dataDir,
        ],
        add.io,
      ),
    ).toBe(0);
    expect(add.out).toHaveLength(1);
    const created = JSON.parse(add.out[0]!) as Record<string, string>;
    expect(Object.keys(created)).toEqual(['client_id', 'client_secret']);
    expect(created.client_secret!.length).toBeGreaterThanOrEqual(40);

    const core = await createCore({
      mode: 'headless',
      dataDir,
      http: { port: 0 },
      dockerHost: 'unix:///fake.sock',
      engine: { connect: fakeEngine().connect },
    });
    try {
      const tok = capture();
      expect(
        await runCommand(
          'token',
          ['--client', 'ci-bot', '--secret', created.client_secret!, '--url', core.httpOrigin],
          tok.io,
        ),
      ).toBe(0);
      expect(JSON.parse(tok.out[0]!)).toMatchObject({
        token_type: 'Bearer',
        scope: 'mcp.access',
        access_token: expect.any(String),
      });
      const wrong = capture();
      expect(
        await runCommand(
          'token',
          ['--client', 'ci-bot', '--secret', 'nope', '--url', core.httpOrigin],
          wrong.io,
        ),
      ).toBe(1);
      expect(wrong.err.join('\n')).toMatch(/refused: invalid_client/);

      const list = capture();
      expect(await runCommand('clients', ['list', '--data-dir', dataDir], list.io)).toBe(0);
      expect(list.out.join('\n')).toMatch(/ci-bot\tconfidential\tclient_credentials\tmcp\.access/);
      const revoke = capture();
      expect(await runCommand('clients', ['revoke', 'ci-bot', '--data-dir', dataDir], revoke.io)).toBe(0);
      const dup = capture();
      expect(await runCommand('clients', ['revoke', 'ci-bot', '--data-dir', dataDir], dup.io)).toBe(1);
      expect(dup.err.join('\n')).toMatch(/no client named "ci-bot"/);
    } finally {
      await core.close();
    }
  });

  it.each([
    [['clients', 'add', '--grant', 'client_credentials'], /--name is required/],
    [['clients', 'add', '--name', 'x y'], /letters, digits/],
    [['clients', 'add', '--name', 'ok-name', '--grant', 'password'], /--grant must be client_credentials/],
    [['clients', 'add', '--name', 'ok-name', '--scope', 'root'], /unknown scope root/],
    [['token', '--client', 'x'], /--secret is required/],
  ])('%j is refused with a clear message', async (argv, pattern) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-cli-oauth-'));
    const c = capture();
    const [command, ...rest] = argv;
    const code = await runCommand(
      command,
      [...rest, ...(command === 'clients' ? ['--data-dir', dataDir] : [])],
      c.io,
    );
    expect(code).toBeGreaterThan(0);
    expect(c.err.join('\n')).toMatch(pattern);
  });

  it('token says where it looked when MCP Dock is not running', async () => {
    const c = capture();
    expect(
      await runCommand('token', ['--client', 'x', '--secret', 'y', '--url', 'http://127.0.0.1:9'], c.io),
    ).toBe(1);
    expect(c.err.join('\n')).toMatch(/not answering at http:\/\/127\.0\.0\.1:9/);
  });

  it('keeps a secret given on stdin (the guide’s own credentials), warning that it is short', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-cli-oauth-'));
    const c = capture();
    c.io.stdin = async () => Buffer.from('secret\n');
    expect(
      await runCommand(
        'clients',
        ['add', '--name', 'mcp-client', '--secret-stdin', '--data-dir', dataDir],
        c.io,
      ),
    ).toBe(0);
    expect(JSON.parse(c.out[0]!)).toEqual({ client_id: 'mcp-client', client_secret: 'secret' });
    expect(c.err.join('\n')).toMatch(/short/);
  });
});
