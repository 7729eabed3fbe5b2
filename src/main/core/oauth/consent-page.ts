import type { ServerResponse } from 'node:http';
import { PANEL_SESSION_STORAGE_KEY } from '../../../shared/bridge-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp';

// The pages of the login-and-consent step (interaction-routes.ts) and their one script and style.

export const INTERACTION_PREFIX = '/oauth2/interaction/';
// Not a uid (those never hold a dot), so it cannot shadow an interaction.
export const CONSENT_SCRIPT_PATH = `${INTERACTION_PREFIX}consent.js`;
export const CONSENT_STYLE_PATH = `${INTERACTION_PREFIX}consent.css`;

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// A page of the sign-in step: no script but ours, no framing, and forms post only where they must.
export function consentPage(
  res: ServerResponse,
  status: number,
  title: string,
  body: string,
  { wait, formTarget }: { wait?: string; formTarget?: string } = {},
): void {
  // The form posts here, and the answer then redirects to the client: browsers apply form-action
  // to that redirect too, so the client's own origin is named (nothing else is).
  let formAction = "form-action 'none'";
  if (formTarget) {
    try {
      formAction = `form-action 'self' ${new URL(formTarget).origin}`;
    } catch {
      formAction = "form-action 'self'";
    }
  }
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': CONTENT_SECURITY_POLICY.replace("form-action 'none'", formAction),
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)} · MCP Dock</title><link rel="stylesheet" href="${CONSENT_STYLE_PATH}">${
      wait
        ? `<noscript><meta http-equiv="refresh" content="2"></noscript><script src="${CONSENT_SCRIPT_PATH}" defer></script>`
        : ''
    }</head><body><main${wait ? ` data-uid="${escapeHtml(wait)}"` : ''}>${body}</main></body></html>`,
  );
}

// The waiting page's only script: reveals Allow/Deny where the panel's session is at hand, and
// follows a decision made in the panel by reloading (the reload finishes the sign-in).
const CONSENT_SCRIPT = `'use strict';
(function () {
  var main = document.querySelector('main[data-uid]');
  if (!main) return;
  var uid = main.getAttribute('data-uid');
  var here = document.getElementById('decide-here');
  var session = null;
  try { session = window.localStorage.getItem(${JSON.stringify(PANEL_SESSION_STORAGE_KEY)}); } catch (e) {}
  if (here && session) {
    here.querySelector('input[name=session]').value = session;
    here.hidden = false;
    document.getElementById('consent-title').textContent = 'Allow access?';
    document.getElementById('consent-note').textContent =
      'Answer here or in the MCP Dock panel; the first answer counts.';
    document.title = 'Allow access? · MCP Dock';
  }
  function poll() {
    fetch(${JSON.stringify(INTERACTION_PREFIX)} + encodeURIComponent(uid) + '/status', { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        if (body && body.state !== 'pending') window.location.reload();
        else setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 1000);
})();
`;

const CONSENT_STYLE = `:root { color-scheme: light dark; font: 15px/1.5 system-ui, sans-serif; }
body { margin: 0; background: #f6f7f9; color: #1c2430; }
main { max-width: 640px; margin: 10vh auto; padding: 24px 28px; background: #fff; border: 1px solid #dde2ea; border-radius: 10px; }
h1 { font-size: 22px; margin: 0 0 12px; }
code { font-size: 13px; background: #eef1f6; padding: 1px 4px; border-radius: 4px; word-break: break-all; }
button { font: inherit; padding: 6px 18px; border-radius: 6px; border: 1px solid #2f6fed; background: #2f6fed; color: #fff; cursor: pointer; }
button[value=deny] { background: transparent; color: #d64545; border-color: #d64545; }
@media (prefers-color-scheme: dark) {
  body { background: #121821; color: #e3e8ef; }
  main { background: #1a2230; border-color: #2a3444; }
  code { background: #243044; }
}
`;

export const CONSENT_ASSETS: Record<string, { type: string; body: string }> = {
  [CONSENT_SCRIPT_PATH]: { type: 'text/javascript; charset=utf-8', body: CONSENT_SCRIPT },
  [CONSENT_STYLE_PATH]: { type: 'text/css; charset=utf-8', body: CONSENT_STYLE },
};
