import type { EngineStatus } from '../../../shared/engine';
import type { Route } from './router';
import { sendJson } from './respond';

// Liveness for scripts and supervisors. It says whether the engine is reachable but never
// fails on that: the app is up even while Docker is not.
export function healthzRoute(getEngine: () => EngineStatus, version: string): Route {
  return (req, res, url) => {
    if (url.pathname !== '/healthz') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(
        res,
        405,
        { error: 'method_not_allowed', message: 'Use GET /healthz' },
        { allow: 'GET, HEAD' },
      );
      return true;
    }
    const engine = getEngine();
    sendJson(res, 200, { status: 'ok', version, engine: { state: engine.state, endpoint: engine.endpoint } });
    return true;
  };
}
