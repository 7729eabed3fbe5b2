import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type Provider from 'oidc-provider';
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp';
import type { Route } from '../http/router';
import type { ConsentQueue } from './consents';
import { DEFAULT_SCOPE } from './authorization-server';

export const INTERACTION_PREFIX = '/oauth2/interaction/';
// The resource owner is the person at the panel; tokens they approve name this subject.
export const OWNER_ACCOUNT = 'panel-owner';

export interface InteractionOptions {
  provider: () => Provider | undefined;
  consents: ConsentQueue;
  // True when the request carries the panel's session (headless mode's cookie). Without it the
  // page can only point at the app window, where the same request waits for a decision.
  hasPanelSession: (req: IncomingMessage) => boolean;
  // Keyed to the panel session, so a form cannot be replayed from another browser.
  csrfKey: () => string;
  defaultResource: () => string;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(
  res: ServerResponse,
  status: number,
  title: string,
  body: string,
  refresh = false,
  formTarget?: string,
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
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · MCP Dock</title>${
      refresh ? '<meta http-equiv="refresh" content="2">' : ''
    }</head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`,
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
    const provider = options.provider();
    if (!provider) return false;
    return handle(provider, req, res, url);
  };

  async function handle(
    provider: Provider,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<boolean> {
    const [uid, action] = url.pathname.slice(INTERACTION_PREFIX.length).split('/');
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      page(res, 400, 'This sign-in link has expired', '<p>Start again from your MCP client.</p>');
      return true;
    }
    if (details.uid !== uid) {
      page(res, 400, 'This sign-in link does not match', '<p>Start again from your MCP client.</p>');
      return true;
    }
    const params = details.params as Record<string, unknown>;
    const client = await provider.Client.find(String(params.client_id));
    options.consents.add({
      uid: details.uid,
      clientId: String(params.client_id),
      clientName: client?.clientName,
      redirectUri: String(params.redirect_uri),
      scopes: String(params.scope || DEFAULT_SCOPE).split(' '),
      resources: listOf(params.resource).length > 0 ? listOf(params.resource) : [options.defaultResource()],
    });

    if (req.method === 'POST' && action === 'decide') {
      if (!options.hasPanelSession(req)) {
        page(res, 403, 'Not allowed from here', '<p>Only the MCP Dock panel can approve requests.</p>');
        return true;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        if (chunks.reduce((n, c) => n + c.length, 0) > 4096) break;
      }
      const form = parseQuery(Buffer.concat(chunks).toString('utf8'));
      const expected = Buffer.from(csrfFor(options.csrfKey(), details.uid));
      const given = Buffer.from(String(form.csrf ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        page(res, 403, 'This form has expired', '<p>Reload the page and choose again.</p>');
        return true;
      }
      const decision = form.decision === 'allow' ? 'allow' : 'deny';
      options.consents.decide(details.uid, decision);
      options.consents.takeDecision(details.uid);
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
    const summary = `<p><strong>${escape(request.clientName ?? request.clientId)}</strong> (client <code>${escape(request.clientId)}</code>) asks to use MCP Dock on your behalf.</p>
<ul><li>Scopes: ${escape(request.scopes.join(', '))}</li><li>For: ${escape(request.resources.join(', '))}</li><li>Answers go to: <code>${escape(request.redirectUri)}</code></li></ul>`;
    if (!options.hasPanelSession(req)) {
      page(
        res,
        200,
        'Approve in MCP Dock',
        `${summary}<p>Approve or deny this request in the MCP Dock window. This page continues by itself.</p>`,
        true,
      );
      return true;
    }
    const csrf = csrfFor(options.csrfKey(), details.uid);
    const action_ = `${INTERACTION_PREFIX}${escape(details.uid)}/decide`;
    page(
      res,
      200,
      'Allow access?',
      `${summary}<form method="post" action="${action_}"><input type="hidden" name="csrf" value="${csrf}">
<button type="submit" name="decision" value="allow">Allow</button> <button type="submit" name="decision" value="deny">Deny</button></form>`,
      false,
      request.redirectUri,
    );
    return true;
  }
}
