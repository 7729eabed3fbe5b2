import { mkdtemp } from 'node:fs/promises';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fakeEngine } from '../../../../test-support/fake-engine';
import { fakeRendererDir } from '../../../../test-support/headless-core';
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
    ui: { rendererDir, token: 'test-token-0123456789' },
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

const cookie = 'mcp_dock_session=test-token-0123456789';

function openSocket(core: Core, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${core.port}/bridge`, { headers });
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
  it('refuses the UI without the token', async () => {
    const { core } = await start();
    expect((await get(core, '/')).status).toBe(401);
    expect((await get(core, '/?token=wrong')).status).toBe(401);
    expect((await get(core, '/', { cookie: 'mcp_dock_session=wrong' })).status).toBe(401);
    expect((await get(core, '/assets/app-1234.js')).status).toBe(401);
  });

  it('trades the token for an HttpOnly cookie and serves the app with a CSP', async () => {
    const { core } = await start();
    const first = await get(core, '/?token=test-token-0123456789');
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    expect(first.headers['set-cookie']?.[0]).toMatch(
      /^mcp_dock_session=test-token-0123456789; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    const page = await get(core, '/', { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>MCP Dock</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    const asset = await get(core, '/assets/app-1234.js', { cookie });
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('refuses a foreign Origin and never serves files outside the build', async () => {
    const { core } = await start();
    expect((await get(core, '/', { cookie, origin: 'http://evil.example' })).status).toBe(403);
    for (const path of ['/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/assets/%00']) {
      expect((await get(core, path, { cookie })).status, path).toBe(404);
    }
  });
});

describe('WebSocket bridge', () => {
  const origin = () => `http://127.0.0.1:${cores[0]!.port}`;

  it('refuses handshakes without the token, without Origin, or from another origin', async () => {
    const { core } = await start();
    await expect(openSocket(core, { origin: origin() })).rejects.toThrow('HTTP 401');
    await expect(openSocket(core, { cookie })).rejects.toThrow('HTTP 403');
    await expect(openSocket(core, { cookie, origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(openSocket(core, { cookie, origin: `http://localhost:${core.port + 1}` })).rejects.toThrow(
      'HTTP 403',
    );
  });

  it('serves contract calls and pushes events', async () => {
    const { core, engine } = await start();
    await core.engine.recheck();
    const ws = await openSocket(core, { cookie, origin: origin() });
    ws.send(JSON.stringify({ t: 'call', id: 1, channel: 'mcp-dock:engine.getStatus' }));
    expect(await nextMessage(ws)).toMatchObject({
      t: 'result',
      id: 1,
      result: { ok: true, value: { state: 'reachable', version: '1.2.3' } },
    });
    ws.send(JSON.stringify({ t: 'sub', channel: 'mcp-dock:engine.onStatus' }));
    await new Promise((r) => setTimeout(r, 50));
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
    const ws = await openSocket(core, { cookie, origin: origin() });
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
