import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteTransport } from './remote-transport';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

describe('the remote transport', () => {
  it('gives up on a legacy SSE server that opens its stream but never names its endpoint', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': a comment, and then nothing\n\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sse`;
    const transport = new RemoteTransport({ url, transport: 'sse', headers: {}, startTimeoutMs: 300 });
    await expect(transport.start()).rejects.toMatchObject({
      code: 'REMOTE_BAD_RESPONSE',
      message: `${url} answered no endpoint event within 0.3 s`,
    });
  });
});
