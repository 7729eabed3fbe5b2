// Which redirect URIs a dynamically registered (public) client may use: loopback over http, on
// any port (native apps pick one at run time, RFC 8252), or https anywhere. Everything else
// (javascript:, data:, file:, custom schemes, plain http to another host) could hand an
// authorization code to someone else.
export function checkRedirectUri(uri: unknown): string | undefined {
  if (typeof uri !== 'string' || uri.length === 0) return 'a redirect URI must be a non-empty string';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `${uri} is not an absolute URL`;
  }
  if (url.hash) return `${uri} has a fragment, which redirect URIs must not have`;
  if (url.username || url.password) return `${uri} carries credentials`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    return undefined;
  if (url.protocol === 'http:')
    return `${uri} uses plain http to a host that is not this machine; use https or a loopback address`;
  return `${uri} uses the ${url.protocol} scheme; only https and http://127.0.0.1, http://localhost or http://[::1] are accepted`;
}

export function checkRedirectUris(uris: unknown): string | undefined {
  if (!Array.isArray(uris) || uris.length === 0) return 'redirect_uris must be a non-empty array';
  for (const uri of uris) {
    const problem = checkRedirectUri(uri);
    if (problem) return problem;
  }
  return undefined;
}
