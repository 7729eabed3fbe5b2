import { CONTENT_SECURITY_POLICY } from '../../../shared/csp';
import { sendText } from '../http/respond';
import type { Route } from '../http/router';
import { checkHostAndOrigin } from './loopback-guard';
import { readRendererFile } from './renderer-files';
import { readCookie, SESSION_COOKIE, sessionCookie, tokensMatch } from './session-token';

export interface UiRouteOptions {
  rendererDir: string;
  token: string;
  port: () => number;
}

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const NEEDS_TOKEN =
  'This MCP Dock session needs its token. Open the URL that `mcp-dock serve` printed (it ends in ?token=...).\n';

// Serves the built renderer to whoever holds the per-run token. The token arrives once in the
// printed URL; we trade it for an HttpOnly cookie and redirect so it leaves the address bar.
export function uiRoute({ rendererDir, token, port }: UiRouteOptions): Route {
  return async (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const verdict = checkHostAndOrigin(req, port(), { requireOrigin: false });
    if (!verdict.ok) {
      sendText(res, verdict.status, `Forbidden: ${verdict.reason}.\n`);
      return true;
    }
    const offered = url.searchParams.get('token');
    if (offered !== null) {
      if (!tokensMatch(token, offered)) {
        sendText(res, 401, NEEDS_TOKEN, { 'www-authenticate': 'Cookie' });
        return true;
      }
      url.searchParams.delete('token');
      const location = `${url.pathname}${url.search}`;
      res.writeHead(303, {
        location,
        'set-cookie': sessionCookie(token),
        'cache-control': 'no-store',
        ...SECURITY_HEADERS,
      });
      res.end();
      return true;
    }
    if (!tokensMatch(token, readCookie(req, SESSION_COOKIE))) {
      sendText(res, 401, NEEDS_TOKEN, { 'www-authenticate': 'Cookie' });
      return true;
    }
    const file = await readRendererFile(rendererDir, url.pathname);
    if (!file) {
      sendText(res, 404, `Not found: ${url.pathname}\n`, SECURITY_HEADERS);
      return true;
    }
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-length': String(file.body.length),
      'cache-control': file.immutable ? 'private, max-age=31536000, immutable' : 'no-store',
      ...SECURITY_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
    return true;
  };
}
