import { rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface SocketProxy {
  // unix:// URL to hand to the app as its DOCKER_HOST.
  readonly url: string;
  readonly path: string;
  // Drops every connection and stops listening: to the app, the engine is gone.
  cut(): Promise<void>;
  // Listens again: the engine is back.
  restore(): Promise<void>;
  close(): Promise<void>;
}

// A unix-socket proxy in front of the real engine that a test controls, so one test can take
// "the engine" away from the app under test without touching the engine other tests use.
export async function createSocketProxy(targetPath: string, listenPath: string): Promise<SocketProxy> {
  const open = new Set<Socket>();
  let server: Server | undefined;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      rmSync(listenPath, { force: true });
      const s = createServer((client) => {
        const upstream = createConnection(targetPath);
        open.add(client);
        open.add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          open.delete(client);
          open.delete(upstream);
        };
        client.on('error', drop);
        upstream.on('error', drop);
        client.on('close', drop);
        upstream.on('close', drop);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      s.once('error', reject);
      s.listen(listenPath, () => {
        server = s;
        resolve();
      });
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of open) socket.destroy();
      open.clear();
      if (!server) return resolve();
      const s = server;
      server = undefined;
      s.close(() => {
        rmSync(listenPath, { force: true });
        resolve();
      });
    });

  await listen();
  return {
    url: `unix://${listenPath}`,
    path: listenPath,
    cut: stop,
    restore: listen,
    close: stop,
  };
}
