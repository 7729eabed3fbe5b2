import { isLoopbackHost } from './loopback-guard';
import { sendJson } from './respond';
import type { Route } from './router';

// Core listens on loopback; a request naming any other host arrived through DNS rebinding (a
// web page whose name now resolves to 127.0.0.1), so every endpoint refuses it, OAuth and MCP too.
export function loopbackOnlyRoute(port: () => number): Route {
  return (req, res) => {
    if (isLoopbackHost(req.headers.host, port())) return false;
    sendJson(res, 403, {
      error: 'forbidden_host',
      message: 'Host header is not a loopback name for this server',
    });
    return true;
  };
}
