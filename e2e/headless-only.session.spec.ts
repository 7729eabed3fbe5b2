import { createServer, type IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';
import { expect, openApp, test } from './fixtures/dock';

// The panel's credential stays with the panel's origin: cookies are shared by every port of a host,
// so another local server the browser visits (an OAuth client's redirect URI, say) must receive
// nothing that opens the bridge.

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
