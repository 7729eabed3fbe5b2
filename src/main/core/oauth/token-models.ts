// The OAuth store's models for issued JWT access tokens, beside oidc-provider's own. Records of
// ISSUED tokens back introspection, revocation and the Tokens pane; REVOKED ones are checked by
// every bearer check until the token would have expired.
export const ISSUED = 'IssuedAccessToken';
export const REVOKED = 'RevokedAccessToken';

// Revoked by jti, or issued under a grant that no longer exists: however a grant ended, its
// tokens end with it (checked per request at /hello and /mcp, so two map lookups).
// What the checks read of the OAuth store: records by model and id (the store imports this module).
export interface TokenRecords {
  get(model: string, id: string): { grantId?: unknown } | undefined;
}

export function isRevokedJti(store: TokenRecords, jti: string): boolean {
  if (store.get(REVOKED, jti)) return true;
  const grantId = store.get(ISSUED, jti)?.grantId;
  return typeof grantId === 'string' && !store.get('Grant', grantId);
}

export function isActiveJti(store: TokenRecords, jti: string): boolean {
  return Boolean(store.get(ISSUED, jti)) && !isRevokedJti(store, jti);
}
