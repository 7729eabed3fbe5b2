import type { ParsedUrlQuery } from 'node:querystring';
import { DEFAULT_SCOPE, isSupportedScope, SCOPES_HELP } from './scopes';

// Fills in a token request's scope the way MCP clients expect, and names any scope MCP Dock does
// not know: oidc-provider would silently drop it, and a client asking for one should hear no.
// Changes `form` in place; returns the refusal to send, if any.
export function applyTokenRequestDefaults(
  form: ParsedUrlQuery,
): { error: 'invalid_scope'; error_description: string } | undefined {
  // A client_credentials request without `scope` gets the default scope, as the MCP
  // client-credentials extension expects.
  if (form.grant_type === 'client_credentials' && !form.scope) form.scope = DEFAULT_SCOPE;
  const unknown = String(form.scope ?? '')
    .split(' ')
    .filter((s) => s && !isSupportedScope(s) && s !== 'openid');
  if (unknown.length === 0) return undefined;
  return {
    error: 'invalid_scope',
    error_description: `unknown scope ${unknown.join(' ')}; supported: ${SCOPES_HELP}`,
  };
}
