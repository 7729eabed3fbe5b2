import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type Provider from 'oidc-provider';
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp';
import { PANEL_SESSION_STORAGE_KEY } from '../../../shared/bridge-protocol';
import { formatAgo } from '../../../shared/format-ago';
import { sendJson } from '../http/respond';
import type { Route } from '../http/router';
import { looksLikeMetadataUrl } from './client-metadata-document';
import type { ConsentQueue } from './consents';
import { DEFAULT_SCOPE } from './scopes';

export const INTERACTION_PREFIX = '/oauth2/interaction/';
// Not a uid (those never hold a dot), so it cannot shadow an interaction.
export const CONSENT_SCRIPT_PATH = `${INTERACTION_PREFIX}consent.js`;
export const CONSENT_STYLE_PATH = `${INTERACTION_PREFIX}consent.css`;
// The resource owner is the person at the panel; tokens they approve name this subject.
export const OWNER_ACCOUNT = 'panel-owner';

export interface InteractionOptions {
  provider: () => Provider | undefined;
  consents: ConsentQueue;
  // Headless mode: whether a secret the consent page read from the panel's storage is a live
  // panel session. Absent in the desktop app, where only the app window decides.
  isPanelSession?: (secret: string) => boolean;
  // Keyed per run, so a form cannot be replayed later.
  csrfKey: () => string;
  defaultResource: () => string;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(
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
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escape(title)} · MCP Dock</title><link rel="stylesheet" href="${CONSENT_STYLE_PATH}">${
      wait
        ? `<noscript><meta http-equiv="refresh" content="2"></noscript><script src="${CONSENT_SCRIPT_PATH}" defer></script>`
        : ''
    }</head><body><main${wait ? ` data-uid="${escape(wait)}"` : ''}>${body}</main></body></html>`,
  );
}

function csrfFor(key: string, uid: string): string {
  return createHmac('sha256', key).update(uid).digest('base64url');
}

function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value ? [value] : [];
}

// The login-and-consent step of the authorization code flow, written by us (oidc-provider leaves
// it to the host). Buttons are labelled Allow and Deny.
export function interactionRoute(options: InteractionOptions): Route {
  const finish = async (
    provider: Provider,
    req: IncomingMessage,
    res: ServerResponse,
    decision: 'allow' | 'deny',
  ) => {
    const details = await provider.interactionDetails(req, res);
    if (decision === 'deny') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'the request was denied at the MCP Dock panel' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const params = details.params as Record<string, unknown>;
    const scopes = String(params.scope || DEFAULT_SCOPE);
    const grant = new provider.Grant({ accountId: OWNER_ACCOUNT, clientId: String(params.client_id) });
    grant.addOIDCScope(scopes);
    const resources = listOf(params.resource);
    for (const resource of resources.length > 0 ? resources : [options.defaultResource()])
      grant.addResourceScope(resource, scopes);
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: OWNER_ACCOUNT }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  };

  return (req, res, url) => {
    if (!url.pathname.startsWith(INTERACTION_PREFIX)) return false;
    const asset = CONSENT_ASSETS[url.pathname];
    if (asset && req.method === 'GET') {
      res.writeHead(200, {
        'content-type': asset.type,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(asset.body);
      return true;
    }
    const provider = options.provider();
    if (!provider) return false;
    const [uid = '', action] = url.pathname.slice(INTERACTION_PREFIX.length).split('/');
    // What the waiting page polls: only the state of a request whose (unguessable) uid it holds.
    if (action === 'status' && req.method === 'GET') {
      sendJson(res, 200, { state: options.consents.state(uid) });
      return true;
    }
    return handle(provider, req, res, uid, action);
  };

  async function handle(
    provider: Provider,
    req: IncomingMessage,
    res: ServerResponse,
    uid: string,
    action: string | undefined,
  ): Promise<boolean> {
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      page(
        res,
        400,
        'This sign-in link has expired',
        '<h1>This sign-in link has expired</h1><p>Start again from your MCP client.</p>',
      );
      return true;
    }
    if (details.uid !== uid) {
      page(
        res,
        400,
        'This sign-in link does not match',
        '<h1>This sign-in link does not match</h1><p>Start again from your MCP client.</p>',
      );
      return true;
    }
    const params = details.params as Record<string, unknown>;
    const clientId = String(params.client_id);
    const client = await provider.Client.find(clientId);
    const issuedAt = client?.clientIdIssuedAt;
    const added = options.consents.add({
      uid: details.uid,
      clientId,
      clientName: client?.clientName,
      redirectUri: String(params.redirect_uri),
      scopes: String(params.scope || DEFAULT_SCOPE).split(' '),
      resources: listOf(params.resource).length > 0 ? listOf(params.resource) : [options.defaultResource()],
      clientKind: looksLikeMetadataUrl(clientId) ? 'metadata-document' : 'registered',
      registeredAt: typeof issuedAt === 'number' ? new Date(issuedAt * 1000).toISOString() : undefined,
    });
    if (added === 'full') {
      page(
        res,
        429,
        'Too many sign-in requests',
        '<h1>Too many sign-in requests are waiting</h1><p>MCP Dock already has many requests waiting for an answer. Answer or dismiss them in the MCP Dock window (each expires after 10 minutes), then start again from your MCP client.</p>',
      );
      return true;
    }
    if (added === 'expired') {
      page(
        res,
        400,
        'This sign-in request has expired',
        '<h1>This sign-in request has expired</h1><p>Start again from your MCP client.</p>',
      );
      return true;
    }

    if (req.method === 'POST' && action === 'decide') {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += (chunk as Buffer).length;
        if (size > 4096) break;
        chunks.push(chunk);
      }
      const form = parseQuery(Buffer.concat(chunks).toString('utf8'));
      const session = String(form.session ?? '');
      if (!options.isPanelSession || !session || !options.isPanelSession(session)) {
        page(
          res,
          403,
          'Not allowed from here',
          '<h1>Not allowed from here</h1><p>Only the MCP Dock panel can approve requests.</p>',
        );
        return true;
      }
      const expected = Buffer.from(csrfFor(options.csrfKey(), details.uid));
      const given = Buffer.from(String(form.csrf ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        page(
          res,
          403,
          'This form has expired',
          '<h1>This form has expired</h1><p>Reload the page and choose again.</p>',
        );
        return true;
      }
      // A decision already made in the panel wins over this later click.
      const asked = form.decision === 'allow' ? 'allow' : 'deny';
      options.consents.decide(details.uid, asked);
      const decision = options.consents.takeDecision(details.uid) ?? asked;
      await finish(provider, req, res, decision);
      return true;
    }
    if (req.method !== 'GET') return false;

    const decided = options.consents.takeDecision(details.uid);
    if (decided) {
      await finish(provider, req, res, decided);
      return true;
    }
    const request = options.consents.get(details.uid)!;
    const origin =
      request.clientKind === 'registered'
        ? `It registered itself with MCP Dock ${request.registeredAt ? escape(formatAgo(request.registeredAt, Date.now())) : 'on its own'}; anyone on this machine can register a client under any name.`
        : `It is named by its metadata document at <code>${escape(request.clientId)}</code>.`;
    const summary = `<p><strong>${escape(request.clientName ?? request.clientId)}</strong> (client <code>${escape(request.clientId)}</code>) asks to use MCP Dock on your behalf. ${origin}</p>
<ul><li>Scopes: ${escape(request.scopes.join(', '))}</li><li>For: ${escape(request.resources.join(', '))}</li><li>Answers go to <strong>${escape(request.redirectHost)}</strong>: <code>${escape(request.redirectUri)}</code></li></ul>`;
    const waiting = `<h1 id="consent-title">Approve in MCP Dock</h1>${summary}<p id="consent-note">Approve or deny this request in the MCP Dock window. This page continues by itself.</p>`;
    if (!options.isPanelSession) {
      page(res, 200, 'Approve in MCP Dock', waiting, { wait: details.uid });
      return true;
    }
    // Shown by the page's script when this browser holds the panel's session (in its storage,
    // which only pages of this origin can read); the server checks that session on submit.
    const csrf = csrfFor(options.csrfKey(), details.uid);
    const action_ = `${INTERACTION_PREFIX}${escape(details.uid)}/decide`;
    page(
      res,
      200,
      'Approve in MCP Dock',
      `${waiting}<form id="decide-here" hidden method="post" action="${action_}"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="session" value="">
<button type="submit" name="decision" value="allow">Allow</button> <button type="submit" name="decision" value="deny">Deny</button></form>`,
      { wait: details.uid, formTarget: request.redirectUri },
    );
    return true;
  }
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

const CONSENT_ASSETS: Record<string, { type: string; body: string }> = {
  [CONSENT_SCRIPT_PATH]: { type: 'text/javascript; charset=utf-8', body: CONSENT_SCRIPT },
  [CONSENT_STYLE_PATH]: { type: 'text/css; charset=utf-8', body: CONSENT_STYLE },
};
