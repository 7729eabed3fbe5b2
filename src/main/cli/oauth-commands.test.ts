import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeEngine } from '../../../test-support/fake-engine';
import { startHeadlessCore } from '../../../test-support/headless-core';
import { createCore } from '../core/create-core';
import { APP_ORIGIN_FILE } from '../core/http/app-origin-file';
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
    [['clients', 'add', '--name', 'x'], /^mcp-dock: --name: use 2-64 letters/],
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

describe('mcp-dock clients add beside the running app', () => {
  it('returns only once the running app accepts the new client', async () => {
    const app = await startHeadlessCore();
    try {
      const add = capture();
      expect(
        await runCommand('clients', ['add', '--name', 'fresh-bot', '--data-dir', app.dataDir], add.io),
      ).toBe(0);
      const created = JSON.parse(add.out[0]!) as { client_id: string; client_secret: string };
      // The very next request, with no pause: the app must know the client already.
      const res = await fetch(`${app.httpOrigin}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: created.client_id,
          client_secret: created.client_secret,
        }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(add.err).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('prints the client even when the running app will not take it, and exits 1 saying why', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-cli-oauth-'));
    // An app that is up but answers introspection with something waiting cannot fix.
    const app = createServer((req, res) => {
      res.writeHead(req.url === '/healthz' ? 200 : 400, { 'content-type': 'application/json' });
      res.end(req.url === '/healthz' ? '{"status":"ok"}' : '{"error":"invalid_request"}');
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    await writeFile(join(dataDir, APP_ORIGIN_FILE), JSON.stringify({ origin, pid: process.pid }));
    try {
      const add = capture();
      expect(await runCommand('clients', ['add', '--name', 'late-bot', '--data-dir', dataDir], add.io)).toBe(
        1,
      );
      expect(JSON.parse(add.out[0]!)).toMatchObject({
        client_id: 'late-bot',
        client_secret: expect.any(String),
      });
      expect(add.err.join('\n')).toMatch(
        `Client "late-bot" is saved, but the MCP Dock running at ${origin} does not accept it yet (400 invalid_request)`,
      );
    } finally {
      app.close();
    }
  });

  it('does not wait for an app that a crash left on record', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-cli-oauth-'));
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(
      join(dataDir, APP_ORIGIN_FILE),
      JSON.stringify({ origin: 'http://127.0.0.1:9', pid: gone }),
    );
    const add = capture();
    expect(await runCommand('clients', ['add', '--name', 'calm-bot', '--data-dir', dataDir], add.io)).toBe(0);
    expect(JSON.parse(add.out[0]!)).toMatchObject({ client_id: 'calm-bot' });
    expect(add.err).toEqual([]);
  });
});

describe('mcp-dock token and secrets that start with "-"', () => {
  it('takes the secret from standard input with --secret-stdin', async () => {
    const app = await startHeadlessCore();
    try {
      const add = capture();
      add.io.stdin = async () => Buffer.from('-starts-with-a-dash-0123456789\n');
      expect(
        await runCommand(
          'clients',
          ['add', '--name', 'dash-bot', '--secret-stdin', '--data-dir', app.dataDir],
          add.io,
        ),
      ).toBe(0);
      const tok = capture();
      tok.io.stdin = async () => Buffer.from('-starts-with-a-dash-0123456789\n');
      expect(
        await runCommand(
          'token',
          ['--client', 'dash-bot', '--secret-stdin', '--url', app.httpOrigin],
          tok.io,
        ),
      ).toBe(0);
      expect(JSON.parse(tok.out[0]!)).toMatchObject({ token_type: 'Bearer' });
    } finally {
      await app.close();
    }
  });

  it.each([
    [['--client', 'x', '--secret', 's', '--secret-stdin'], /either --secret or --secret-stdin/],
    [['--client', 'x', '--secret', '-abc'], /--secret=-abc|--secret-stdin/],
  ])('token %j is refused with a clear message', async (argv, pattern) => {
    const c = capture();
    c.io.stdin = async () => Buffer.from('s');
    expect(await runCommand('token', [...argv, '--url', 'http://127.0.0.1:9'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(pattern);
  });
});
