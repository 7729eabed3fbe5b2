import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { randomBytes } from 'node:crypto';
import type { SecretStore } from '../secrets/secret-store';

const SLOT = ['oauth', 'signing-key'] as const;

// The authorization server signs access tokens with an ES256 key made on first run and kept
// encrypted in the secret store (never in a plain file).
export async function loadOrCreateSigningKey(secrets: SecretStore): Promise<JWK> {
  const stored = await secrets.values(SLOT[0], [SLOT[1]]);
  const existing = stored[SLOT[1]];
  if (existing) return JSON.parse(existing) as JWK;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk: JWK = {
    ...(await exportJWK(privateKey)),
    alg: 'ES256',
    use: 'sig',
    kid: randomBytes(8).toString('base64url'),
  };
  await secrets.set(SLOT[0], SLOT[1], JSON.stringify(jwk));
  return jwk;
}

export function publicJwk(jwk: JWK): JWK {
  const { d: _private, ...rest } = jwk;
  return rest;
}
