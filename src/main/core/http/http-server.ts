import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpListenError, PortInUseError } from '../errors';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface HttpServerOptions {
  host: string;
  port: number;
  // How the user changes the port, named in the "port in use" error.
  portSetting: string;
  onRequest: RequestHandler;
  onUpgrade?: UpgradeHandler;
}

export interface RunningHttpServer {
  readonly host: string;
  readonly port: number;
  readonly origin: string;
  close(): Promise<void>;
}

export function originOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const server: Server = createServer((req, res) => {
    Promise.resolve(options.onRequest(req, res)).catch(() => {
      // Handlers answer their own errors; this only keeps a bug from leaving a request hanging.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('internal error');
    });
  });
  // Slow or idle clients must not pin sockets forever.
  server.headersTimeout = 15_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  // Upgraded sockets leave the server's HTTP bookkeeping, so closeAllConnections never ends
  // them and server.close would wait on a WebSocket forever; the server ends them itself.
  const upgraded = new Set<Duplex>();
  if (options.onUpgrade) {
    const onUpgrade = options.onUpgrade;
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      upgraded.add(socket);
      socket.once('close', () => upgraded.delete(socket));
      onUpgrade(req, socket, head);
    });
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(new PortInUseError(options.host, options.port, options.portSetting, { cause: error }));
      } else if (error.code === 'EACCES') {
        reject(
          new HttpListenError(options.host, options.port, `permission denied; ${options.portSetting}`, {
            cause: error,
          }),
        );
      } else {
        reject(new HttpListenError(options.host, options.port, error.message, { cause: error }));
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(options.port, options.host);
  });

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    host: options.host,
    port,
    origin: originOf(options.host, port),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
      }),
  };
}
