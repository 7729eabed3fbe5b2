// The scopes MCP Dock's tokens carry, and which of them a client may hold.
export const DEFAULT_SCOPE = 'mcp.access';
// mcp:servers reaches every upstream server through the gateway; mcp.access alone reaches
// MCP Dock's own tools and /hello.
export const SUPPORTED_SCOPES = ['mcp.access', 'mcp:servers', 'offline_access'] as const;

// One upstream server through the gateway: mcp:server:<server name>.
const SERVER_SCOPE = /^mcp:server:[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

export function isSupportedScope(scope: string): boolean {
  return (SUPPORTED_SCOPES as readonly string[]).includes(scope) || SERVER_SCOPE.test(scope);
}

export const SCOPES_HELP = `${SUPPORTED_SCOPES.join(' ')} mcp:server:<name>`;

// What a client that registered without naming scopes may ask for. The gateway's scopes
// (mcp:servers, mcp:server:<name>) are never implied: a client gets them only by naming them.
export const UNNAMED_SCOPES = ['mcp.access', 'offline_access'] as const;

export function registeredScopes(scope: string | undefined): Set<string> {
  const named = (scope ?? '').split(' ').filter(Boolean);
  return new Set(named.length > 0 ? named : UNNAMED_SCOPES);
}

// The scopes the provider must know: fixed, per existing server, and any per-server scope a
// stored client holds (so removing a server never makes a client's metadata invalid).
export function knownScopes(serverNames: Iterable<string>, clientScopes: Iterable<string>): string[] {
  const all = new Set<string>(SUPPORTED_SCOPES);
  for (const name of serverNames) all.add(`mcp:server:${name}`);
  for (const scope of clientScopes) if (SERVER_SCOPE.test(scope)) all.add(scope);
  return [...all].sort();
}
