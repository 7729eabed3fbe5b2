import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type Provider from 'oidc-provider';
import { formatAgo } from '../../../shared/format-ago';
import { sendJson } from '../http/respond';
import type { Route } from '../http/router';
import { looksLikeMetadataUrl } from './client-metadata-document';
import { CONSENT_ASSETS, consentPage, escapeHtml, INTERACTION_PREFIX } from './consent-page';
import type { ConsentQueue } from './consents';
import { DEFAULT_SCOPE } from './scopes';

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
      consentPage(
        res,
        400,
        'This sign-in link has expired',
        '<h1>This sign-in link has expired</h1><p>Start again from your MCP client.</p>',
      );
      return true;
    }
    if (details.uid !== uid) {
      consentPage(
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
      consentPage(
        res,
        429,
        'Too many sign-in requests',
        '<h1>Too many sign-in requests are waiting</h1><p>MCP Dock already has many requests waiting for an answer. Answer or dismiss them in the MCP Dock window (each expires after 10 minutes), then start again from your MCP client.</p>',
      );
      return true;
    }
    if (added === 'expired') {
      consentPage(
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
        consentPage(
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
        consentPage(
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
        ? `It registered itself with MCP Dock ${request.registeredAt ? escapeHtml(formatAgo(request.registeredAt, Date.now())) : 'on its own'}; anyone on this machine can register a client under any name.`
        : `It is named by its metadata document at <code>${escapeHtml(request.clientId)}</code>.`;
    const summary = `<p><strong>${escapeHtml(request.clientName ?? request.clientId)}</strong> (client <code>${escapeHtml(request.clientId)}</code>) asks to use MCP Dock on your behalf. ${origin}</p>
<ul><li>Scopes: ${escapeHtml(request.scopes.join(', '))}</li><li>For: ${escapeHtml(request.resources.join(', '))}</li><li>Answers go to <strong>${escapeHtml(request.redirectHost)}</strong>: <code>${escapeHtml(request.redirectUri)}</code></li></ul>`;
    const waiting = `<h1 id="consent-title">Approve in MCP Dock</h1>${summary}<p id="consent-note">Approve or deny this request in the MCP Dock window. This page continues by itself.</p>`;
    if (!options.isPanelSession) {
      consentPage(res, 200, 'Approve in MCP Dock', waiting, { wait: details.uid });
      return true;
    }
    // Shown by the page's script when this browser holds the panel's session (in its storage,
    // which only pages of this origin can read); the server checks that session on submit.
    const csrf = csrfFor(options.csrfKey(), details.uid);
    const action_ = `${INTERACTION_PREFIX}${escapeHtml(details.uid)}/decide`;
    consentPage(
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
