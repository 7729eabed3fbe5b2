import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { sendJson } from './respond';

// A handler returns false when the request is not its own, so mounts can share prefixes.
export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;
export type UpgradeRoute = (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => boolean;

// Routes are tried in order; the first to claim the request answers it. Later capabilities
// (OAuth, /mcp) add theirs without the server knowing about them.
export class Router {
  readonly #routes: Route[] = [];
  readonly #upgrades: UpgradeRoute[] = [];
  // Core binds its port before it opens the capabilities that need the origin (OAuth's issuer);
  // what arrives meanwhile is told to come back instead of getting a 404 from a half-built app.
  #open = false;

  // Serves the routes added so far; until then every request gets 503 with Retry-After.
  open(): this {
    this.#open = true;
    return this;
  }

  add(route: Route): this {
    this.#routes.push(route);
    return this;
  }

  addUpgrade(route: UpgradeRoute): this {
    this.#upgrades.push(route);
    return this;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.#open) {
      sendJson(res, 503, { error: 'starting', message: 'MCP Dock is starting' }, { 'retry-after': '1' });
      return;
    }
    const url = requestUrl(req);
    for (const route of this.#routes) {
      // Most routes decline a path synchronously: no promise (and microtask) for each of them.
      const claimed = route(req, res, url);
      if (claimed === true || (claimed !== false && (await claimed))) return;
    }
    sendJson(res, 404, { error: 'not_found', message: `No route for ${req.method} ${url.pathname}` });
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.#open) return rejectUpgrade(socket, 503, 'Service Unavailable');
    const url = requestUrl(req);
    for (const route of this.#upgrades) {
      if (route(req, socket, head, url)) return;
    }
    rejectUpgrade(socket, 404, 'Not Found');
  }
}

// The path matters, not the Host header: a request naming another host is refused elsewhere.
export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://localhost');
}

export function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
