import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntilAppAccepts } from './wait-for-client';

const credential = { client_id: 'ci-bot', client_secret: 'a-secret-0123456789' };
let server: Server | undefined;
afterEach(() => server?.close());

// A stand-in for the app's introspection endpoint: answers in turn from `replies`, then the last.
async function fakeApp(replies: number[]): Promise<{ origin: string; probes: () => number }> {
  let probes = 0;
  server = createServer((req, res) => {
    const status = replies[Math.min(probes++, replies.length - 1)]!;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        status === 200 ? { active: false } : { error: status === 401 ? 'invalid_client' : 'invalid_request' },
      ),
    );
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, probes: () => probes };
}

describe('waitUntilAppAccepts', () => {
  it('asks again while the app does not know the client yet, and returns once it does', async () => {
    const app = await fakeApp([401, 401, 200]);
    await waitUntilAppAccepts(app.origin, credential);
    expect(app.probes()).toBe(3);
  });

  it('gives up at its bound, saying the client is saved and what to do', async () => {
    const app = await fakeApp([401]);
    await expect(waitUntilAppAccepts(app.origin, credential, { timeoutMs: 400 })).rejects.toMatchObject({
      code: 'CLIENT_NOT_ACCEPTED',
      message: `Client "ci-bot" is saved, but the MCP Dock running at ${app.origin} does not accept it yet (still 401 invalid_client). Restart the app to load it, or try again in a moment.`,
    });
  });

  it('does not wait for an answer that waiting cannot change', async () => {
    const app = await fakeApp([400]);
    await expect(waitUntilAppAccepts(app.origin, credential)).rejects.toMatchObject({
      code: 'CLIENT_NOT_ACCEPTED',
      message: expect.stringContaining('(400 invalid_request)'),
    });
    expect(app.probes()).toBe(1);
  });

  it('returns when the app has gone away: it reads the client from disk at its next start', async () => {
    const app = await fakeApp([401]);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    await expect(waitUntilAppAccepts(app.origin, credential)).resolves.toBeUndefined();
  });
});
