import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeAppOrigin } from '../core/http/app-origin-file';
import { answersHealthz, appOrigin, findRunningApp } from './running-app';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('answersHealthz', () => {
  it('is true for a 2xx from /healthz, false for anything else', async () => {
    const paths: string[] = [];
    const up = await serve((req, res) => {
      paths.push(req.url ?? '');
      res.end('{"ok":true}');
    });
    expect(await answersHealthz(up, 1000)).toBe(true);
    expect(paths).toEqual(['/healthz']);
    const failing = await serve((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    expect(await answersHealthz(failing, 1000)).toBe(false);
    // Port 1: nothing listens there.
    expect(await answersHealthz('http://127.0.0.1:1', 1000)).toBe(false);
  });

  it('gives up on a server that never answers', async () => {
    const silent = await serve(() => undefined);
    expect(await answersHealthz(silent, 100)).toBe(false);
  });
});

describe('finding the running app', () => {
  it('trusts the origin record only when the app answers there, else uses settings.json’s port', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-running-app-'));
    expect(await findRunningApp(dataDir)).toBeUndefined();
    expect(await appOrigin(dataDir)).toBe('http://127.0.0.1:8081');
    const up = await serve((_req, res) => res.end());
    await writeAppOrigin(dataDir, up);
    expect(await findRunningApp(dataDir)).toBe(up);
    await writeAppOrigin(dataDir, 'http://127.0.0.1:1');
    expect(await findRunningApp(dataDir)).toBeUndefined();
  });
});
