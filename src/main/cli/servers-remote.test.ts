import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RemoteView } from '../../shared/remotes';
import { startRemoteMcpServer } from '../../../test-support/remote-mcp-server';
import { startBareCore, startHeadlessCore } from '../../../test-support/headless-core';
import { browseUntil, CookieJar } from '../../../test-support/oauth-browser';
import { servers } from './commands/servers';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

const run = async (argv: string[], env: Record<string, string> = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await servers(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    signal: new AbortController().signal,
    // No engine: remote servers need none.
    env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock', ...env },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

describe('mcp-dock servers add --url', () => {
  it('adds a remote server with a header secret from the environment, lists it, and removes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-remote-cli-'));
    const added = await run(
      [
        'add',
        'linear',
        '--url',
        'https://mcp.linear.example/mcp',
        '--header-secret',
        'Authorization=LINEAR_TOKEN',
        '--data-dir',
        dir,
        '--json',
      ],
      { LINEAR_TOKEN: 'Bearer lin_secret_1' },
    );
    expect(added.code).toBe(0);
    const view = JSON.parse(added.out) as RemoteView;
    expect(view.spec).toEqual({
      name: 'linear',
      url: 'https://mcp.linear.example/mcp',
      transport: 'auto',
      auth: { type: 'header', header: 'Authorization', secret: 'LINEAR_TOKEN' },
    });
    expect(view.secretsSet).toEqual(['LINEAR_TOKEN']);
    // The value is in the secret store, encrypted; nowhere in plain text.
    expect(await readFile(join(dir, 'remotes.json'), 'utf8')).not.toContain('lin_secret_1');
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).not.toContain('lin_secret_1');

    const listed = await run(['list', '--data-dir', dir]);
    expect(listed.out).toMatch(/linear\tremote\tauto\thttps:\/\/mcp\.linear\.example\/mcp\t-\tunknown\t-/);
    const json = JSON.parse((await run(['list', '--json', '--data-dir', dir])).out) as {
      spec: { name: string; url?: string };
    }[];
    expect(json.find((v) => v.spec.name === 'linear')!.spec.url).toBe('https://mcp.linear.example/mcp');

    await expect(run(['start', 'linear', '--data-dir', dir])).rejects.toMatchObject({
      code: 'NOT_A_CONTAINER',
    });
    await expect(run(['logs', 'linear', '--data-dir', dir])).rejects.toMatchObject({
      code: 'NOT_A_CONTAINER',
    });
    expect((await run(['remove', 'linear', '--data-dir', dir])).code).toBe(0);
    expect(
      JSON.parse((await run(['list', '--json', '--data-dir', dir])).out).some(
        (v: { spec: { name: string } }) => v.spec.name === 'linear',
      ),
    ).toBe(false);
  });

  it('refuses what cannot work, saying why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-remote-cli-'));
    await expect(run(['add', 'x', '--url', 'ftp://x', '--data-dir', dir])).rejects.toThrow(
      /http:\/\/ or https:\/\//,
    );
    await expect(run(['add', 'x', '--url', 'https://u:p@x.example/mcp', '--data-dir', dir])).rejects.toThrow(
      /credentials do not go in the URL/,
    );
    await expect(
      run([
        'add',
        'x',
        '--url',
        'https://x.example/mcp',
        '--header-secret',
        'Authorization=NOPE',
        '--data-dir',
        dir,
      ]),
    ).rejects.toThrow(/set the environment variable NOPE/);
    await expect(
      run(['add', 'x', '--url', 'https://x.example/mcp', '--data-dir', dir, '--', 'npx', 'thing']),
    ).rejects.toThrow(/runs no command/);
    await expect(
      run(['add', 'x', '--url', 'https://x.example/mcp', '--client-id', 'abc', '--data-dir', dir]),
    ).rejects.toThrow(/go with --oauth/);
    await expect(
      run([
        'add',
        'x',
        '--url',
        'https://x.example/mcp',
        '--oauth',
        '--client-metadata-url',
        'http://m.example/c.json',
        '--data-dir',
        dir,
      ]),
    ).rejects.toThrow(/auth\.clientMetadataUrl: an https:\/\/ URL/);
    await expect(run(['signin', 'x', '--data-dir', dir])).rejects.toMatchObject({ code: 'SERVER_NOT_FOUND' });
    await run(['add', 'plain', '--url', 'https://x.example/mcp', '--data-dir', dir]);
    await expect(run(['signin', 'plain', '--data-dir', dir])).rejects.toThrow(/does not use OAuth/);
    await expect(
      run(['add', 'plain', '--url', 'https://y.example/mcp', '--data-dir', dir]),
    ).rejects.toMatchObject({
      code: 'SERVER_EXISTS',
    });
  });

  it('a remote added by the CLI is served by the running app at once', async () => {
    const upstream = await startRemoteMcpServer({ kind: 'streamable' });
    closers.push(() => upstream.close());
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-remote-cli-'));
    const core = await startBareCore(dir);
    closers.push(() => core.close());
    const ready = new Promise<RemoteView>((resolve) => {
      const stop = core.api.remotes.onChanged((views) => {
        const view = views.find((v) => v.spec.name === 'late' && v.state === 'ready');
        if (!view) return;
        stop();
        resolve(view);
      });
    });
    expect((await run(['add', 'late', '--url', upstream.url, '--data-dir', dir])).code).toBe(0);
    expect((await ready).tools.map((t) => t.name).sort()).toEqual(['echo', 'whoami']);
  });
});

describe('mcp-dock servers signin', () => {
  // The user's browser, given the URL the command printed: consent at the peer, back to the callback.
  async function browse(url: string, peer: Awaited<ReturnType<typeof startHeadlessCore>>, callback: string) {
    const jar = new CookieJar();
    const waiting = await browseUntil(url, jar, callback);
    peer.consents.decide(peer.consents.list().at(-1)!.uid, 'allow');
    const back = await browseUntil(waiting.url, jar, callback);
    return fetch(back.headers.get('location')!);
  }

  const printedUrl = (lines: string[]) =>
    new Promise<string>((resolve) => {
      const poll = setInterval(() => {
        const url = lines.find((l) => l.startsWith('http'));
        if (!url) return;
        clearInterval(poll);
        resolve(url);
      }, 20);
    });

  // `servers add --oauth` for the peer, then `servers signin` started: what it prints, its exit,
  // and the URL it printed (or how it exited before printing one).
  async function addAndSignIn(dir: string, peerOrigin: string, scopes: string[]) {
    await run([
      'add',
      'peer',
      '--url',
      `${peerOrigin}/mcp`,
      '--oauth',
      ...scopes.flatMap((s) => ['--scope', s]),
      '--data-dir',
      dir,
    ]);
    const lines: string[] = [];
    const signing = servers(['signin', 'peer', '--data-dir', dir], {
      out: (l) => lines.push(...l.split('\n')),
      err: () => undefined,
      signal: new AbortController().signal,
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    const url = await Promise.race([printedUrl(lines), signing.then((code) => `exited ${code}`)]);
    return { lines, signing, url };
  }

  it('serves the callback itself when no app runs, and stores the tokens', async () => {
    const peer = await startHeadlessCore();
    closers.push(() => peer.close());
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-remote-cli-'));
    const port = await freePort();
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ http: { port } }));
    const { lines, signing, url } = await addAndSignIn(dir, peer.httpOrigin, [
      'mcp.access',
      'offline_access',
    ]);
    const done = await browse(url, peer, `http://127.0.0.1:${port}/oauth/remote/callback`);
    expect(done.status).toBe(200);
    expect(await signing).toBe(0);
    expect(lines.at(-1)).toBe('Signed in to peer.');
    const listed = JSON.parse((await run(['list', '--json', '--data-dir', dir])).out) as RemoteView[];
    expect(listed.find((v) => v.spec.name === 'peer')!.signedIn).toBe(true);
    expect((await run(['signout', 'peer', '--data-dir', dir])).code).toBe(0);
    const after = JSON.parse((await run(['list', '--json', '--data-dir', dir])).out) as RemoteView[];
    expect(after.find((v) => v.spec.name === 'peer')!.state).toBe('signed-out');
  });

  it('ends at once, saying why, when the user refuses', async () => {
    const peer = await startHeadlessCore();
    closers.push(() => peer.close());
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-remote-cli-'));
    const port = await freePort();
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ http: { port } }));
    const { signing, url } = await addAndSignIn(dir, peer.httpOrigin, ['mcp.access']);
    const callback = `http://127.0.0.1:${port}/oauth/remote/callback`;
    const jar = new CookieJar();
    const waiting = await browseUntil(url, jar, callback);
    peer.consents.decide(peer.consents.list().at(-1)!.uid, 'deny');
    const back = await browseUntil(waiting.url, jar, callback);
    expect((await fetch(back.headers.get('location')!)).status).toBe(400);
    expect(await signing).toBe(1);
  });

  it('asks the running app to sign in, and waits until the app holds the tokens', async () => {
    const peer = await startHeadlessCore();
    closers.push(() => peer.close());
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-remote-cli-'));
    const app = await startBareCore(dir);
    closers.push(() => app.close());
    const { signing, url } = await addAndSignIn(dir, peer.httpOrigin, ['mcp.access']);
    expect((await browse(url, peer, `${app.httpOrigin}/oauth/remote/callback`)).status).toBe(200);
    expect(await signing).toBe(0);
    const view = (await app.api.remotes.list()).find((v) => v.spec.name === 'peer')!;
    expect(view.signedIn).toBe(true);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
