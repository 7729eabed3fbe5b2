import { CONTENT_SECURITY_POLICY } from '../../../shared/csp';
import { sendText } from '../http/respond';
import type { Route } from '../http/router';
import { checkHostAndOrigin } from '../http/loopback-guard';
import { readRendererFile } from './renderer-files';
import type { PanelSessions } from './panel-sessions';

export interface UiRouteOptions {
  rendererDir: string;
  sessions: PanelSessions;
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
  'This MCP Dock session needs its token. Open the URL that mcp-dock serve printed (it ends in ?token=...).\n';

// Serves the built renderer. Its files hold nothing secret: everything the panel shows comes
// through the bridge, which wants a session (see PanelSessions), so no credential rides on these
// requests and no cookie exists to leak to other ports of this host.
export function uiRoute({ rendererDir, sessions, port }: UiRouteOptions): Route {
  return async (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const verdict = checkHostAndOrigin(req, port(), { requireOrigin: false });
    if (!verdict.ok) {
      sendText(res, verdict.status, `Forbidden: ${verdict.reason}.\n`);
      return true;
    }
    // A wrong token gets a plain answer; the right one is traded for a session by the page itself
    // (the session secret must live in the page's storage, which only the page can write).
    const offered = url.searchParams.get('token');
    if (offered !== null && !sessions.exchangeable(offered)) {
      sendText(res, 401, NEEDS_TOKEN, SECURITY_HEADERS);
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
