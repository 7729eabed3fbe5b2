import { mkdtemp } from 'node:fs/promises';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fakeEngine } from '../../../../test-support/fake-engine';
import { fakeRendererDir, openPanelSession } from '../../../../test-support/headless-core';
import { createCore, type Core } from '../create-core';

let rendererDir: string;
const cores: Core[] = [];

beforeAll(async () => {
  rendererDir = await fakeRendererDir();
});
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

async function start(engine = fakeEngine()) {
  const core = await createCore({
    mode: 'headless',
    dataDir: await mkdtemp(join(tmpdir(), 'mcp-dock-data-')),
    http: { port: 0 },
    ui: { rendererDir, token: TOKEN },
    dockerHost: 'unix:///fake/docker.sock',
    engine: { connect: engine.connect, retryDelaysMs: [20] },
  });
  cores.push(core);
  return { core, engine };
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function get(core: Core, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: core.port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const TOKEN = 'test-token-0123456789';
const cookie = `mcp_dock_session=${TOKEN}`;
const protocolsFor = (session: string) => ['mcp-dock.bridge', `mcp-dock.session.${session}`];

function openSocket(
  core: Core,
  headers: Record<string, string>,
  protocols: string[] = [],
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${core.port}/bridge`, protocols, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) =>
    ws.once('message', (data) => resolve(JSON.parse(data.toString()) as Record<string, unknown>)),
  );
}

describe('core HTTP server', () => {
  it('answers /healthz with the engine state', async () => {
    const { core } = await start();
    await core.engine.recheck();
    const reply = await get(core, '/healthz');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ status: 'ok', engine: { state: 'reachable' } });
    expect((await get(core, '/healthz', {}, 'POST')).status).toBe(405);
    expect((await get(core, '/nothing-here', { cookie })).status).toBe(404);
  });

  it('refuses a foreign Host on every endpoint (DNS rebinding)', async () => {
    const { core } = await start();
    for (const path of ['/healthz', '/', '/?token=test-token-0123456789']) {
      const reply = await get(core, path, { host: `evil.example:${core.port}`, cookie });
      expect(reply.status, path).toBe(403);
    }
    expect((await get(core, '/healthz', { host: `localhost:${core.port}` })).status).toBe(200);
    expect((await get(core, '/healthz', { host: `127.0.0.1:${core.port + 1}` })).status).toBe(403);
  });

  it('says which port is busy and how to change it', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(
        createCore({
          mode: 'headless',
          dataDir: await mkdtemp(join(tmpdir(), 'mcp-dock-data-')),
          http: { port, portSetting: '--port' },
        }),
      ).rejects.toMatchObject({
        code: 'PORT_IN_USE',
        message: expect.stringMatching(new RegExp(`Port ${port} .*--port`)),
      });
    } finally {
      blocker.close();
    }
  });
});

describe('headless UI', () => {
  it('serves the app with a CSP and no cookie; a wrong token in the URL is refused', async () => {
    const { core } = await start();
    const page = await get(core, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>MCP Dock</title>');
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const asset = await get(core, '/assets/app-1234.js');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await get(core, '/?token=wrong')).status).toBe(401);
    const withToken = await get(core, `/?token=${TOKEN}`);
    expect(withToken.status).toBe(200);
    expect(withToken.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a foreign Origin and never serves files outside the build', async () => {
    const { core } = await start();
    expect((await get(core, '/', { origin: 'http://evil.example' })).status).toBe(403);
    for (const path of ['/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/assets/%00']) {
      expect((await get(core, path)).status, path).toBe(404);
    }
  });
});

describe('panel sessions', () => {
  const exchange = (core: Core, body: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${core.port}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('trades the printed token for a fresh session each time, and checks a session', async () => {
    const { core } = await start();
    const first = await exchange(core, JSON.stringify({ token: TOKEN }));
    expect(first.status).toBe(201);
    expect(first.headers.get('set-cookie')).toBeNull();
    const { session } = (await first.json()) as { session: string };
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session).not.toBe(TOKEN);
    const second = (await (await exchange(core, JSON.stringify({ token: TOKEN }))).json()) as {
      session: string;
    };
    expect(second.session).not.toBe(session);

    const check = (secret: string) =>
      fetch(`http://127.0.0.1:${core.port}/session`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await check(session)).status).toBe(204);
    expect((await check(TOKEN)).status).toBe(401);
    expect((await check('x'.repeat(43))).status).toBe(401);
  });

  it.each([
    ['a wrong token', JSON.stringify({ token: 'wrong' }), 401],
    ['no token', '{}', 401],
    ['extra fields', JSON.stringify({ token: TOKEN, admin: true }), 401],
    ['not JSON', 'token=x', 400],
    ['too large', JSON.stringify({ token: 'x'.repeat(5000) }), 413],
  ])('refuses %s', async (_name, body, status) => {
    const { core } = await start();
    expect((await exchange(core, body)).status).toBe(status);
  });

  it('refuses a foreign Host or Origin even with the token', async () => {
    const { core } = await start();
    const body = JSON.stringify({ token: TOKEN });
    expect((await exchange(core, body, { origin: 'http://evil.example' })).status).toBe(403);
    const reply = await get(core, '/session', { host: `evil.example:${core.port}` });
    expect(reply.status).toBe(403);
  });
});

describe('WebSocket bridge', () => {
  const origin = () => `http://127.0.0.1:${cores[0]!.port}`;

  it('refuses handshakes without a session, without Origin, or from another origin', async () => {
    const { core } = await start();
    const session = await openPanelSession(origin(), TOKEN);
    const protocols = protocolsFor(session);
    await expect(openSocket(core, { origin: origin() })).rejects.toThrow('HTTP 401');
    // The printed token is only ever traded: not by cookie, not as a session.
    await expect(openSocket(core, { origin: origin(), cookie })).rejects.toThrow('HTTP 401');
    await expect(openSocket(core, { origin: origin() }, protocolsFor(TOKEN))).rejects.toThrow('HTTP 401');
    await expect(openSocket(core, { origin: origin() }, [`mcp-dock.session.${session}`])).rejects.toThrow(
      'HTTP 401',
    );
    await expect(openSocket(core, {}, protocols)).rejects.toThrow('HTTP 403');
    await expect(openSocket(core, { origin: 'http://evil.example' }, protocols)).rejects.toThrow('HTTP 403');
    await expect(
      openSocket(core, { origin: `http://localhost:${core.port + 1}` }, protocols),
    ).rejects.toThrow('HTTP 403');
    const ws = await openSocket(core, { origin: origin() }, protocols);
    // Only the protocol name is echoed, never the secret.
    expect(ws.protocol).toBe('mcp-dock.bridge');
    ws.close();
  });

  it('serves contract calls and pushes events', async () => {
    const { core, engine } = await start();
    await core.engine.recheck();
    const ws = await openSocket(
      core,
      { origin: origin() },
      protocolsFor(await openPanelSession(origin(), TOKEN)),
    );
    ws.send(JSON.stringify({ t: 'call', id: 1, channel: 'mcp-dock:engine.getStatus' }));
    expect(await nextMessage(ws)).toMatchObject({
      t: 'result',
      id: 1,
      result: { ok: true, value: { state: 'reachable', version: '1.2.3' } },
    });
    ws.send(JSON.stringify({ t: 'sub', channel: 'mcp-dock:engine.onStatus' }));
    // The bridge handles messages in order: once this call is answered, the subscription stands.
    ws.send(JSON.stringify({ t: 'call', id: 2, channel: 'mcp-dock:app.getInfo' }));
    expect(await nextMessage(ws)).toMatchObject({ t: 'result', id: 2 });
    const pushed = nextMessage(ws);
    engine.stop();
    expect(await pushed).toMatchObject({
      t: 'event',
      channel: 'mcp-dock:engine.onStatus',
      payload: { state: 'unreachable' },
    });
    ws.close();
  });

  it('answers bad messages with errors and keeps serving', async () => {
    const { core } = await start();
    const ws = await openSocket(
      core,
      { origin: origin() },
      protocolsFor(await openPanelSession(origin(), TOKEN)),
    );
    ws.send('not json');
    expect(await nextMessage(ws)).toEqual({ t: 'error', message: 'message is not JSON' });
    ws.send(JSON.stringify({ t: 'call', id: -1, channel: 7 }));
    expect(await nextMessage(ws)).toMatchObject({ t: 'error' });
    ws.send(JSON.stringify({ t: 'call', id: 2, channel: 'mcp-dock:engine.deleteEverything' }));
    expect(await nextMessage(ws)).toMatchObject({
      id: 2,
      result: { ok: false, error: { code: 'UNKNOWN_CALL' } },
    });
    ws.send(
      JSON.stringify({
        t: 'call',
        id: 3,
        channel: 'mcp-dock:engine.getStatus',
        input: { __proto__: { x: 1 } },
      }),
    );
    expect(await nextMessage(ws)).toMatchObject({
      id: 3,
      result: { ok: false, error: { code: 'INVALID_INPUT' } },
    });
    ws.send(JSON.stringify({ t: 'call', id: 4, channel: 'mcp-dock:app.getInfo' }));
    expect(await nextMessage(ws)).toMatchObject({
      id: 4,
      result: { ok: true, value: { name: 'MCP Dock', mode: 'headless' } },
    });
    ws.close();
  });
});
