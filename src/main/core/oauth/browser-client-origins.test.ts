import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  answerPreflight,
  browserClientMayCall,
  corsHeaders,
  originAllowed,
  originKnown,
  redirectsTo,
} from './browser-client-origins';

const APP = 'http://localhost:5173';
const browserClient = { token_endpoint_auth_method: 'none', redirect_uris: [`${APP}/callback`] };
const confidential = { token_endpoint_auth_method: 'client_secret_post', redirect_uris: [`${APP}/callback`] };

function recorded() {
  const out: { status?: number; headers?: Record<string, string>; body?: string } = {};
  const res = {
    writeHead(status: number, headers: Record<string, string>) {
      out.status = status;
      out.headers = headers;
    },
    end(body?: string) {
      out.body = body;
    },
  } as unknown as ServerResponse;
  return { res, out };
}

const request = (headers: Record<string, string> = {}) => ({ headers }) as IncomingMessage;

describe('browser-based clients and their origins', () => {
  it('a public client redirecting to the origin; never a confidential one', () => {
    expect(redirectsTo(browserClient, APP)).toBe(true);
    expect(redirectsTo(browserClient, 'http://localhost:5174')).toBe(false);
    expect(redirectsTo(confidential, APP)).toBe(false);
    expect(redirectsTo(undefined, APP)).toBe(false);
    expect(redirectsTo({ token_endpoint_auth_method: 'none', redirect_uris: 'x' }, APP)).toBe(false);
  });

  it('knows an origin only when a stored browser-based client redirects to it, and never "null"', () => {
    expect(originKnown(() => [confidential, browserClient], APP)).toBe(true);
    expect(originKnown(() => [confidential], APP)).toBe(false);
    expect(originKnown(() => [{ ...browserClient, redirect_uris: ['null'] }], 'null')).toBe(false);
  });

  it('allows a request naming such a client, without an Authorization header', async () => {
    const find = async (id: string) =>
      id === 'app' ? browserClient : id === 'conf' ? confidential : undefined;
    expect(await originAllowed(request(), { client_id: 'app' }, APP, find)).toBe(true);
    expect(
      await originAllowed(request({ authorization: 'Basic eDp5' }), { client_id: 'app' }, APP, find),
    ).toBe(false);
    expect(await originAllowed(request(), { client_id: 'conf' }, APP, find)).toBe(false);
    expect(await originAllowed(request(), { client_id: ['app', 'app'] }, APP, find)).toBe(false);
    expect(await originAllowed(request(), { client_id: 'app' }, 'null', find)).toBe(false);
  });

  it("applies the same rule to oidc-provider's view of a client", () => {
    expect(browserClientMayCall(APP, { clientAuthMethod: 'none', redirectUris: [`${APP}/cb`] })).toBe(true);
    expect(
      browserClientMayCall(APP, { clientAuthMethod: 'client_secret_basic', redirectUris: [`${APP}/cb`] }),
    ).toBe(false);
    expect(browserClientMayCall('null', { clientAuthMethod: 'none', redirectUris: ['null'] })).toBe(false);
  });

  it('answers a preflight for a known origin with the form post only, and refuses the others', () => {
    const known = recorded();
    answerPreflight(known.res, APP, true);
    expect(known.out).toMatchObject({
      status: 204,
      headers: {
        'access-control-allow-origin': APP,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type',
        vary: 'Origin',
      },
    });
    const unknown = recorded();
    answerPreflight(unknown.res, 'http://evil.example', false);
    expect(unknown.out.status).toBe(403);
    expect(JSON.parse(unknown.out.body!)).toMatchObject({ error: 'invalid_request' });
    expect(JSON.parse(unknown.out.body!).error_description).toContain('not http://evil.example');
  });

  it('lets the calling page read an answer only when it sent an origin', () => {
    expect(corsHeaders(APP)).toEqual({ 'access-control-allow-origin': APP, vary: 'Origin' });
    expect(corsHeaders(undefined)).toEqual({});
  });
});
