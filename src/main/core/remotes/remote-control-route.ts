import { isDockError } from '../../../shared/errors';
import type { DockImpl } from '../../../shared/contract';
import { serverNameSchema } from '../../../shared/servers';
import { controlGuard } from '../http/control-token';
import { sendJson } from '../http/respond';
import type { Route } from '../http/router';

export const REMOTE_CONTROL_PREFIX = '/control/remotes';

// `mcp-dock servers signin` beside the running app: the app owns the OAuth callback, so the CLI
// asks it to start the sign-in (POST …/NAME/signin answers the URL to open) and reads the
// remote's view (GET …/NAME) until it is signed in. Behind the control token.
export function remoteControlRoute(api: DockImpl['remotes'], token: string): Route {
  const authorized = controlGuard(token);
  return (req, res, url) => {
    if (!url.pathname.startsWith(`${REMOTE_CONTROL_PREFIX}/`)) return false;
    if (!authorized(req, res)) return true;
    const [rawName, action, ...rest] = url.pathname.slice(REMOTE_CONTROL_PREFIX.length + 1).split('/');
    const name = serverNameSchema.safeParse(decodeURIComponent(rawName ?? ''));
    const wanted =
      action === undefined ? 'GET' : action === 'signin' && rest.length === 0 ? 'POST' : undefined;
    if (!name.success || !wanted) {
      sendJson(res, 404, { error: 'not_found', message: `No route for ${req.method} ${url.pathname}` });
      return true;
    }
    if (req.method !== wanted) {
      sendJson(res, 405, { error: 'method_not_allowed', message: `Use ${wanted}` }, { allow: wanted });
      return true;
    }
    const work =
      wanted === 'GET'
        ? api.list().then((views) => {
            const view = views.find((v) => v.spec.name === name.data);
            if (!view)
              return {
                status: 404,
                body: {
                  error: 'not_found',
                  code: 'SERVER_NOT_FOUND',
                  message: `No remote server "${name.data}"`,
                },
              };
            return { status: 200, body: view as unknown };
          })
        : api.signIn({ name: name.data }).then((body) => ({ status: 200, body: body as unknown }));
    return work.then(
      ({ status, body }) => {
        sendJson(res, status, body);
        return true;
      },
      (error: unknown) => {
        if (!isDockError(error)) throw error;
        sendJson(res, error.code === 'SERVER_NOT_FOUND' ? 404 : 400, {
          error: 'failed',
          code: error.code,
          message: error.message,
        });
        return true;
      },
    );
  };
}
