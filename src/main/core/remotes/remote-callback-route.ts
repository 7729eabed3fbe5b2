import type { ServerResponse } from 'node:http';
import { isDockError } from '../../../shared/errors';
import type { Route } from '../http/router';
import { REMOTE_CALLBACK_PATH, type RemoteOAuth } from './remote-oauth';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(
    `<!doctype html><meta charset="utf-8"><title>${escape(title)}</title>` +
      `<body style="font:16px system-ui;margin:3em auto;max-width:36em"><h1>${escape(title)}</h1><p>${escape(text)}</p></body>`,
  );
}

// Where a remote server's authorization server sends the user's browser back after consent: the
// code is exchanged (with the sign-in's PKCE verifier) and the tokens stored. The state ties the
// redirect to a sign-in this app started; anything else is refused.
export function remoteCallbackRoute(oauth: RemoteOAuth): Route {
  return (req, res, url) => {
    if (url.pathname !== REMOTE_CALLBACK_PATH) return false;
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return true;
    }
    const q = url.searchParams;
    return oauth
      .complete({
        state: q.get('state') ?? undefined,
        code: q.get('code') ?? undefined,
        error: q.get('error') ?? undefined,
        errorDescription: q.get('error_description') ?? undefined,
      })
      .then(
        (server) => {
          page(res, 200, `Signed in to ${server}`, 'MCP Dock holds the tokens now. You can close this tab.');
          return true;
        },
        (error: unknown) => {
          page(res, 400, 'Sign-in failed', isDockError(error) ? error.message : String(error));
          return true;
        },
      );
  };
}
