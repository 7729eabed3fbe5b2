import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';
import { expect, openApp, test } from './fixtures/dock';

// Headless mode's door: the per-run token traded for a session of the page's own, and refusal of
// foreign Hosts and Origins. The panel's credential stays with the panel's origin: cookies are
// shared by every port of a host, so another local server the browser visits (an OAuth client's
// redirect URI, say) must receive nothing that opens the bridge.

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

function wsStatus(
  origin: string,
  headers: Record<string, string>,
  protocols: string[] = [],
  query = '',
): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/bridge${query}`, protocols, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
}

test('the panel opens only with the token, then keeps its own session across reloads', async ({ dock }) => {
  const origin = await dock.httpOrigin();
  await dock.page.goto(origin);
  await expect(dock.page.getByText('needs its token')).toBeVisible();

  const wrong = await dock.page.goto(`${origin}/?token=not-the-token`);
  expect(wrong?.status()).toBe(401);

  await openApp(dock);
  await expect(dock.page).toHaveURL(`${origin}/`);
  await expect(dock.page.getByRole('status', { name: 'Docker engine status' })).toContainText(
    dock.engineVersion,
  );

  // The token left the address bar; the session the page traded it for keeps the panel open.
  await dock.page.reload();
  await expect(dock.page.getByRole('status', { name: 'Docker engine status' })).toContainText(
    dock.engineVersion,
  );
  expect(await dock.page.evaluate(() => document.cookie)).toBe('');
  const stored = await dock.page.evaluate(() => localStorage.getItem('mcp-dock.panel-session'));
  expect(stored).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(stored).not.toBe(new URL(dock.uiUrl!).searchParams.get('token'));
});

test('a foreign Host or Origin is refused, even with a session', async ({ dock }) => {
  const origin = await dock.httpOrigin();
  await openApp(dock);
  await expect(dock.page.getByRole('status', { name: 'Docker engine status' })).toBeVisible();
  const session = (await dock.page.evaluate(() => localStorage.getItem('mcp-dock.panel-session')))!;
  const protocols = ['mcp-dock.bridge', `mcp-dock.session.${session}`];
  const port = new URL(origin).port;

  expect(await rawGet(origin, '/', {})).toBe(200);
  expect(await rawGet(origin, '/', { host: `rebound.example:${port}` })).toBe(403);
  expect(await rawGet(origin, '/', { origin: 'https://evil.example' })).toBe(403);
  const token = new URL(dock.uiUrl!).searchParams.get('token')!;
  expect(await rawGet(origin, `/?token=${token}`, { host: `rebound.example:${port}` })).toBe(403);

  expect(await wsStatus(origin, { origin }, protocols)).toBe(101);
  expect(await wsStatus(origin, { origin })).toBe(401);
  expect(await wsStatus(origin, { origin: 'https://evil.example' }, protocols)).toBe(403);
  expect(await wsStatus(origin, { origin, host: `rebound.example:${port}` }, protocols)).toBe(403);
});

test('a page on another origin cannot open the bridge from the browser', async ({ dock }) => {
  const origin = await dock.httpOrigin();
  await openApp(dock);
  // Another local site on another port: its page cannot read our storage, and the Origin check
  // refuses its handshake anyway.
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

test('another port of the same host receives nothing that opens the panel', async ({ dock }) => {
  const origin = await dock.httpOrigin();
  await openApp(dock);
  await expect(dock.page.getByRole('status', { name: 'Docker engine status' })).toContainText(
    dock.engineVersion,
  );

  const seen: IncomingHttpHeaders[] = [];
  const elsewhere = createServer((req, res) => {
    seen.push(req.headers);
    res.end('<!doctype html><title>elsewhere</title>');
  });
  await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
  const port = (elsewhere.address() as { port: number }).port;
  try {
    await dock.page.goto(`http://127.0.0.1:${port}/cb?code=x`);
    await dock.page.goto(`http://localhost:${port}/cb?code=y`);
  } finally {
    elsewhere.close();
  }
  expect(seen.length).toBeGreaterThan(0);
  for (const headers of seen) {
    const cookie = headers.cookie ?? '';
    // Whatever arrived, replayed with a forged Origin, does not open the bridge.
    expect(await wsStatus(origin, { cookie, origin })).not.toBe(101);
    expect(cookie).not.toContain('mcp_dock');
  }
});

test('the printed token is traded once for a separate session the browser keeps', async ({ dock }) => {
  const origin = await dock.httpOrigin();
  const token = new URL(dock.uiUrl!).searchParams.get('token')!;
  await openApp(dock);
  await expect(dock.page).toHaveURL(`${origin}/`);
  await expect(dock.page.getByRole('status', { name: 'Docker engine status' })).toContainText(
    dock.engineVersion,
  );
  // The printed token itself never opens the bridge, by cookie, query or protocol.
  expect(await wsStatus(origin, { origin, cookie: `mcp_dock_session=${token}` })).toBe(401);
  expect(await wsStatus(origin, { origin }, [`mcp-dock.session.${token}`])).toBe(401);
  expect(await wsStatus(origin, { origin }, [], `?token=${token}`)).toBe(401);
  expect(await dock.page.evaluate(() => document.cookie)).toBe('');
});
