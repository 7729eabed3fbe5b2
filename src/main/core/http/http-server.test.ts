import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from './http-server';

let running: RunningHttpServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

function upgradeRequest(port: number): Promise<{ ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.write(
      'GET /bridge HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
    );
    socket.once('data', () =>
      resolve({ ended: new Promise<void>((done) => socket.once('close', () => done())) }),
    );
  });
}

describe('startHttpServer', () => {
  it('closes with an upgraded connection still open, and ends that connection', async () => {
    const upgraded: Duplex[] = [];
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      portSetting: '--port',
      onRequest: (_req, res) => {
        res.end('ok');
      },
      onUpgrade: (_req, socket) => {
        upgraded.push(socket);
        socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
      },
    });
    const client = await upgradeRequest(server.port);
    expect(upgraded).toHaveLength(1);
    await server.close();
    await client.ended;
  });

  it('closes with an idle keep-alive connection open', async () => {
    running = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      portSetting: '--port',
      onRequest: (_req, res) => {
        res.end('ok');
      },
    });
    const response = await fetch(`${running.origin}/`, { keepalive: true });
    expect(await response.text()).toBe('ok');
    const server = running;
    running = undefined;
    await server.close();
  });
});
