import { createServer, request } from 'node:http';
import WebSocket from 'ws';
import { expect, openApp, test } from './fixtures/dock';

// Headless mode's door: the per-run token, and refusal of foreign Hosts and Origins.

function rawGet(origin: string, path: string, headers: Record<string, string>): Promise<number> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function wsStatus(origin: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/bridge`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
}

test('the page loads only with the token, then the session cookie carries it', async ({ dock }) => {
  const origin = await dock.httpOrigin();
  const bare = await dock.page.goto(origin);
  expect(bare?.status()).toBe(401);
  await expect(dock.page.getByText('needs its token')).toBeVisible();

  const wrong = await dock.page.goto(`${origin}/?token=not-the-token`);
  expect(wrong?.status()).toBe(401);

  await openApp(dock);
  await expect(dock.page).toHaveURL(`${origin}/`);
  await expect(dock.page.getByRole('status', { name: 'Docker engine status' })).toContainText(
    dock.engineVersion,
  );

  // The token left the address bar; the HttpOnly cookie keeps the session, and scripts cannot read it.
  await dock.page.reload();
  await expect(dock.page.getByRole('status', { name: 'Docker engine status' })).toContainText(
    dock.engineVersion,
  );
  expect(await dock.page.evaluate(() => document.cookie)).toBe('');
});

test('a foreign Host or Origin is refused, even with the token', async ({ dock }) => {
  const origin = await dock.httpOrigin();
  await openApp(dock);
  const cookies = await dock.page.context().cookies();
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  expect(cookie).toContain('mcp_dock_session=');
  const port = new URL(origin).port;

  expect(await rawGet(origin, '/', { cookie })).toBe(200);
  expect(await rawGet(origin, '/', { cookie, host: `rebound.example:${port}` })).toBe(403);
  expect(await rawGet(origin, '/', { cookie, origin: 'https://evil.example' })).toBe(403);
  const token = new URL(dock.uiUrl!).searchParams.get('token')!;
  expect(await rawGet(origin, `/?token=${token}`, { host: `rebound.example:${port}` })).toBe(403);

  expect(await wsStatus(origin, { cookie, origin: origin })).toBe(101);
  expect(await wsStatus(origin, { origin: origin })).toBe(401);
  expect(await wsStatus(origin, { cookie, origin: 'https://evil.example' })).toBe(403);
  expect(await wsStatus(origin, { cookie, origin: origin, host: `rebound.example:${port}` })).toBe(403);
});

test('a page on another origin cannot open the bridge from the browser', async ({ dock }) => {
  const origin = await dock.httpOrigin();
  await openApp(dock);
  // Another local site on another port: same site for cookies (SameSite ignores ports), so only
  // the Origin check stands between it and our bridge.
  const evilServer = createServer((_req, res) => res.end('<!doctype html><title>elsewhere</title>'));
  await new Promise<void>((r) => evilServer.listen(0, '127.0.0.1', r));
  const evilPort = (evilServer.address() as { port: number }).port;
  await dock.page.goto(`http://127.0.0.1:${evilPort}/`);
  const opened = await dock.page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        // window.WebSocket: the page's own, not the `ws` import this file uses in Node.
        const ws = new window.WebSocket(url);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      }),
    `${origin.replace('http', 'ws')}/bridge`,
  );
  evilServer.close();
  expect(opened).toBe('refused');
});
