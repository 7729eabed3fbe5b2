import { sendJson } from '../http/respond';
import type { Route } from '../http/router';
import { authorizeBearer, type BearerPolicy } from './bearer';

export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';

export interface ProtectedResource {
  // The endpoint's path on the app's origin ('' for the app itself).
  path: string;
  name: string;
}

// RFC 9728: where a client that got a 401 learns which authorization server to ask and for what.
// The `resource` is the endpoint's own URL, exactly.
export function protectedResourceRoute(
  origin: () => string,
  scopes: readonly string[],
  resources: () => ProtectedResource[],
): Route {
  return (req, res, url) => {
    if (url.pathname !== PROTECTED_RESOURCE_PATH && !url.pathname.startsWith(`${PROTECTED_RESOURCE_PATH}/`))
      return false;
    const suffix = url.pathname.slice(PROTECTED_RESOURCE_PATH.length);
    const resource = resources().find((r) => r.path === suffix);
    if (!resource) {
      sendJson(res, 404, { error: 'not_found', message: `no protected resource at ${suffix}` });
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD' });
      return true;
    }
    sendJson(res, 200, {
      resource: `${origin()}${suffix}`,
      authorization_servers: [origin()],
      scopes_supported: [...scopes],
      bearer_methods_supported: ['header'],
      resource_name: resource.name,
    });
    return true;
  };
}

// The guide's protected endpoint, with the guide's answer shape.
export function helloRoute(
  policy: () => BearerPolicy | undefined,
  isClientActive: (id: string) => boolean,
): Route {
  return async (req, res, url) => {
    if (url.pathname !== '/hello') return false;
    const p = policy();
    if (!p) {
      sendJson(res, 503, { error: 'unavailable', message: 'the authorization server is starting' });
      return true;
    }
    if (req.method !== 'GET') {
      sendJson(res, 405, { error: 'method_not_allowed', message: 'Use GET /hello' }, { allow: 'GET' });
      return true;
    }
    const caller = await authorizeBearer(req, res, url, p, isClientActive);
    if (!caller) return true;
    const { clientId } = caller;
    sendJson(res, 200, {
      message: `Hello, ${clientId}! Your token is valid.`,
      authenticated_client: clientId,
      timestamp: new Date().toISOString(),
    });
    return true;
  };
}
