import { PANEL_SESSION_PATH, panelSessionRequestSchema } from '../../../shared/bridge-protocol';
import { BodyTooLargeError, readBody } from '../http/read-body';
import { sendJson } from '../http/respond';
import type { Route } from '../http/router';
import { checkHostAndOrigin } from '../http/loopback-guard';
import type { PanelSessions } from './panel-sessions';

const NO_STORE = { 'cache-control': 'no-store' };

// POST trades the printed token for a session secret; GET tells the page whether its stored
// secret still holds (a restarted `serve` forgets every session), so it can ask for the URL again
// instead of reconnecting forever.
export function panelSessionRoute(sessions: PanelSessions, port: () => number): Route {
  return async (req, res, url) => {
    if (url.pathname !== PANEL_SESSION_PATH) return false;
    const verdict = checkHostAndOrigin(req, port(), { requireOrigin: false });
    if (!verdict.ok) {
      sendJson(res, verdict.status, { error: 'forbidden', message: verdict.reason });
      return true;
    }
    if (req.method === 'GET') {
      const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (sessions.use(bearer)) res.writeHead(204, NO_STORE).end();
      else sendJson(res, 401, { error: 'invalid_session', message: 'this panel session is not valid' });
      return true;
    }
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: 'method_not_allowed', message: 'use GET or POST' }, { allow: 'GET, POST' });
      return true;
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, 4096)).toString('utf8'));
    } catch (error) {
      const tooLarge = error instanceof BodyTooLargeError;
      sendJson(
        res,
        tooLarge ? 413 : 400,
        { error: 'invalid_request', message: tooLarge ? 'body too large' : 'body is not JSON' },
        { connection: 'close' },
      );
      return true;
    }
    const parsed = panelSessionRequestSchema.safeParse(body);
    const session = parsed.success ? sessions.exchange(parsed.data.token) : undefined;
    if (!session) {
      sendJson(res, 401, {
        error: 'invalid_token',
        message: 'not this run’s token: open the URL that mcp-dock serve printed',
      });
      return true;
    }
    sendJson(res, 201, { session });
    return true;
  };
}
