// The OAuth store's models for issued JWT access tokens, beside oidc-provider's own. Records of
// ISSUED tokens back introspection, revocation and the Tokens pane; REVOKED ones are checked by
// every bearer check until the token would have expired.
export const ISSUED = 'IssuedAccessToken';
export const REVOKED = 'RevokedAccessToken';
