import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SecretStore } from '../secrets/secret-store';

// Access tokens are signed with ES256 keys made by MCP Dock and kept encrypted in the secret
// store (never in a plain file). The ring's first key signs; a rotated-out key stays published in
// the JWKS until `retireAt`, so tokens it signed keep verifying until they expire.
const SLOT = 'oauth' as const;
const RING = 'signing-keys' as const;
const LEGACY = 'signing-key' as const;

const ringSchema = z.object({
  keys: z
    .array(
      z.object({
        jwk: z.record(z.string(), z.unknown()),
        createdAt: z.number(),
        retireAt: z.number().optional(),
      }),
    )
    .min(1),
});
export type KeyRing = z.infer<typeof ringSchema>;

export interface SigningKeyInfo {
  kid: string;
  createdAt: number;
  retireAt?: number;
  current: boolean;
}

async function newKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    ...(await exportJWK(privateKey)),
    alg: 'ES256',
    use: 'sig',
    kid: randomBytes(8).toString('base64url'),
  };
}

const nowS = () => Math.floor(Date.now() / 1000);

export async function loadKeyRing(secrets: SecretStore): Promise<KeyRing> {
  const stored = await secrets.values(SLOT, [RING, LEGACY]);
  if (stored[RING]) return ringSchema.parse(JSON.parse(stored[RING]));
  // A single key from before rotation existed becomes the ring's first.
  const first = stored[LEGACY] ? (JSON.parse(stored[LEGACY]) as JWK) : await newKey();
  const ring: KeyRing = { keys: [{ jwk: first as Record<string, unknown>, createdAt: nowS() }] };
  await secrets.set(SLOT, RING, JSON.stringify(ring));
  return ring;
}

// A new key signs from now on; the old ones retire after `overlapS` (at least the token lifetime).
export async function rotateKeyRing(secrets: SecretStore, overlapS: number): Promise<KeyRing> {
  const ring = await loadKeyRing(secrets);
  const now = nowS();
  const kept = ring.keys
    .filter((k) => k.retireAt === undefined || k.retireAt > now)
    .map((k) => ({ ...k, retireAt: k.retireAt ?? now + overlapS }));
  const next: KeyRing = {
    keys: [{ jwk: (await newKey()) as Record<string, unknown>, createdAt: now }, ...kept],
  };
  await secrets.set(SLOT, RING, JSON.stringify(next));
  return next;
}

export function activeKeys(ring: KeyRing, now = nowS()): JWK[] {
  return ring.keys.filter((k) => k.retireAt === undefined || k.retireAt > now).map((k) => k.jwk as JWK);
}

export function describeRing(ring: KeyRing, now = nowS()): SigningKeyInfo[] {
  return ring.keys
    .filter((k) => k.retireAt === undefined || k.retireAt > now)
    .map((k, i) => ({
      kid: String(k.jwk.kid),
      createdAt: k.createdAt,
      ...(k.retireAt ? { retireAt: k.retireAt } : {}),
      current: i === 0,
    }));
}

// Kept for callers that only need the signing key.
export async function loadOrCreateSigningKey(secrets: SecretStore): Promise<JWK> {
  return activeKeys(await loadKeyRing(secrets))[0]!;
}

export function publicJwk(jwk: JWK): JWK {
  const { d: _private, ...rest } = jwk;
  return rest;
}
