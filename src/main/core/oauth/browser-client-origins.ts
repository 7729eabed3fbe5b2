import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ParsedUrlQuery } from 'node:querystring';

// A browser-based client (a public one) may call the token, introspection and revocation
// endpoints from the origin of one of its redirect URIs; a confidential client is never called
// from a browser. A browser-based client posts a form, which needs no preflight.

// A stored client (as the OAuth store keeps its metadata) that is browser-based and redirects to
// this origin.
export function redirectsTo(client: Record<string, unknown> | undefined, origin: string): boolean {
  return (
    client?.token_endpoint_auth_method === 'none' &&
    Array.isArray(client.redirect_uris) &&
    client.redirect_uris.some((uri) => typeof uri === 'string' && URL.parse(uri)?.origin === origin)
  );
}

// An origin some stored browser-based client redirects to: the only origins a preflight is
// answered for.
export function originKnown(clients: () => Record<string, unknown>[], origin: string): boolean {
  return origin !== 'null' && clients().some((c) => redirectsTo(c, origin));
}

// The client the request names is a browser-based one (stored, or by its metadata document) that
// redirects to this origin. Checked before any secret is: a page elsewhere gets nothing, not even
// a guess counted.
export async function originAllowed(
  req: IncomingMessage,
  form: ParsedUrlQuery,
  origin: string,
  findClient: (clientId: string) => Promise<Record<string, unknown> | undefined>,
): Promise<boolean> {
  return (
    origin !== 'null' &&
    req.headers.authorization === undefined &&
    typeof form.client_id === 'string' &&
    redirectsTo(await findClient(form.client_id), origin)
  );
}

// oidc-provider's clientBasedCORS: the same rule on the provider's own view of a client.
export function browserClientMayCall(
  origin: string,
  client: { clientAuthMethod?: string; redirectUris?: readonly string[] | undefined },
): boolean {
  return (
    origin !== 'null' &&
    client.clientAuthMethod === 'none' &&
    (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin)
  );
}

// A preflight allows no more than the form such a client posts (no Authorization header: it has
// no secret).
export function answerPreflight(res: ServerResponse, origin: string, known: boolean): void {
  if (!known) {
    refuseOrigin(res, origin);
    return;
  }
  res.writeHead(204, {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'POST',
    'access-control-allow-headers': 'content-type',
    'access-control-max-age': '600',
    vary: 'Origin',
  });
  res.end();
}

export function refuseOrigin(res: ServerResponse, origin: string): void {
  res.writeHead(403, { 'content-type': 'application/json', 'cache-control': 'no-store', vary: 'Origin' });
  res.end(
    JSON.stringify({
      error: 'invalid_request',
      error_description: `cross-origin requests are taken only from a browser-based client's own origin (one of its redirect URIs), not ${origin}`,
    }),
  );
}

// The headers that let the calling page read an answer MCP Dock writes itself.
export function corsHeaders(origin: string | undefined): Record<string, string> {
  return origin !== undefined ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
}
