import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  CONSENT_ASSETS,
  CONSENT_SCRIPT_PATH,
  CONSENT_STYLE_PATH,
  consentPage,
  escapeHtml,
} from './consent-page';

function rendered(...args: Parameters<typeof consentPage> extends [unknown, ...infer Rest] ? Rest : never) {
  const out: { status?: number; headers?: Record<string, string>; body?: string } = {};
  const res = {
    writeHead(status: number, headers: Record<string, string>) {
      out.status = status;
      out.headers = headers;
    },
    end(body: string) {
      out.body = body;
    },
  } as unknown as ServerResponse;
  consentPage(res, ...args);
  return out;
}

describe('the consent pages', () => {
  it('escapes what clients name', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
    expect(rendered(400, '<b>', '<h1>x</h1>').body).toContain('<title>&#60;b&#62; · MCP Dock</title>');
  });

  it('posts forms nowhere unless told where the answer redirects', () => {
    const still = rendered(200, 'Expired', '<h1>Expired</h1>');
    expect(still.headers!['content-security-policy']).toContain("form-action 'none'");
    expect(still.headers).toMatchObject({ 'x-frame-options': 'DENY', 'cache-control': 'no-store' });
    expect(still.body).not.toContain('<script');
    const form = rendered(200, 'Approve', '<form></form>', {
      wait: 'uid1',
      formTarget: 'http://127.0.0.1:33336/callback',
    });
    expect(form.headers!['content-security-policy']).toContain("form-action 'self' http://127.0.0.1:33336");
    expect(form.body).toContain('data-uid="uid1"');
    expect(form.body).toContain(`<script src="${CONSENT_SCRIPT_PATH}" defer>`);
    expect(
      rendered(200, 'Approve', '<form></form>', { formTarget: 'not a url' }).headers![
        'content-security-policy'
      ],
    ).toContain("form-action 'self';");
  });

  it('serves its script and style from paths no interaction uid can take', () => {
    expect(Object.keys(CONSENT_ASSETS).sort()).toEqual([CONSENT_SCRIPT_PATH, CONSENT_STYLE_PATH].sort());
    expect(CONSENT_ASSETS[CONSENT_SCRIPT_PATH]!.type).toBe('text/javascript; charset=utf-8');
    expect(CONSENT_ASSETS[CONSENT_SCRIPT_PATH]!.body).toContain('"/oauth2/interaction/"');
  });
});
