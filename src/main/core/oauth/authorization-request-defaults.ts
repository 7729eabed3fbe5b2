import { DEFAULT_SCOPE } from './scopes';

// Fills in an authorization request (GET /oauth2/authorize) before oidc-provider reads it.
// Changes `params` in place.
export function applyAuthorizationRequestDefaults(params: URLSearchParams): void {
  // Spec-following MCP clients may omit scope: they get the default one.
  if (!params.get('scope')) params.set('scope', DEFAULT_SCOPE);
  // oidc-provider keeps offline_access only with prompt=consent (an OpenID rule). MCP Dock asks
  // the person at the panel on every authorization, so that is what happens anyway.
  if (params.get('scope')!.split(' ').includes('offline_access') && !params.get('prompt'))
    params.set('prompt', 'consent');
}
