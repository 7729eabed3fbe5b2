import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery, type ParsedUrlQuery } from 'node:querystring';
import { readBoundedBody } from './read-bounded-body';

// The token, introspection, revocation and registration bodies are read here, before
// oidc-provider, so MCP Dock can apply its defaults and checks; a larger body is no client's.
export const MAX_FORM_BYTES = 64 * 1024;

function sendTooLarge(res: ServerResponse, error: string, headers: Record<string, string>): void {
  res.writeHead(413, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(
    JSON.stringify({ error, error_description: `request body too large (at most ${MAX_FORM_BYTES} bytes)` }),
  );
}

// Reads a bounded urlencoded body so the token endpoint can apply defaults before the provider.
// Undefined: the request has been answered.
export async function readForm(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<ParsedUrlQuery | undefined> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: 'invalid_request',
        error_description: 'the token endpoint takes application/x-www-form-urlencoded bodies',
      }),
    );
    return undefined;
  }
  const read = await readBoundedBody(req, res, MAX_FORM_BYTES, (headers) =>
    sendTooLarge(res, 'invalid_request', headers),
  );
  if (!read.ok) return undefined;
  // Repeated parameters stay repeated: the provider rejects them as RFC 6749 requires.
  return parseQuery(read.body.toString('utf8'));
}

// Reads a bounded registration body (RFC 7591: a JSON object). Undefined: the request has been
// answered.
export async function readJsonObject(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Record<string, unknown> | undefined> {
  const fail = (status: number, description: string) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ error: 'invalid_client_metadata', error_description: description }));
    return undefined;
  };
  if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
    return fail(400, 'registration takes an application/json body');
  const read = await readBoundedBody(req, res, MAX_FORM_BYTES, (headers) =>
    sendTooLarge(res, 'invalid_client_metadata', headers),
  );
  if (!read.ok) return undefined;
  try {
    const value: unknown = JSON.parse(read.body.toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return fail(400, 'the body must be a JSON object');
    return value as Record<string, unknown>;
  } catch {
    return fail(400, 'the body is not JSON');
  }
}

// What the provider reads instead of the stream MCP Dock has already consumed.
export function replaceBody(req: IncomingMessage, body: string): void {
  (req as IncomingMessage & { body?: string }).body = body;
}
