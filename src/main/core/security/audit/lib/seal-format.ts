import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

// The seal: a checkpoint of the newest record (its seq and hash) with an HMAC-SHA256 under a key
// from the data directory's secret store. The chain alone lets anyone who can write the folder cut
// records off its end, or edit one and recompute every hash after it; neither can be done to the
// seal without the key, which the log does not hold.
//
// One file, `audit.seal`, beside the log, always SEAL_BYTES long (JSON padded with spaces), so the
// writer can overwrite it in place with one write per batch instead of a temp file and a rename.
export const SEAL_FILE = 'audit.seal';
export const SEAL_BYTES = 256;
const DOMAIN = 'mcp-dock audit seal v1';

export interface Seal {
  seq: number;
  hash: string;
}

const sealFileSchema = z
  .object({
    version: z.literal(1),
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    mac: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

function mac(key: Buffer, seal: Seal): string {
  return createHmac('sha256', key).update(`${DOMAIN}\n${seal.seq}\n${seal.hash}`).digest('hex');
}

export function encodeSeal(key: Buffer, seal: Seal): Buffer {
  const json = JSON.stringify({ version: 1, seq: seal.seq, hash: seal.hash, mac: mac(key, seal) });
  // A seq has at most 16 digits, so the JSON is under 180 bytes: it always fits.
  const out = Buffer.alloc(SEAL_BYTES, 0x20);
  out.write(json, 0, 'utf8');
  out[SEAL_BYTES - 1] = 0x0a;
  return out;
}

export type DecodedSeal = { ok: true; seal: Seal; mac: string } | { ok: false; reason: string };

export function decodeSeal(bytes: Buffer): DecodedSeal {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, reason: `${SEAL_FILE} is not a seal (not JSON)` };
  }
  const parsed = sealFileSchema.safeParse(json);
  if (!parsed.success)
    return { ok: false, reason: `${SEAL_FILE} is not a seal (its fields are not a seal's)` };
  const { seq, hash } = parsed.data;
  return { ok: true, seal: { seq, hash }, mac: parsed.data.mac };
}

export function sealChecksOut(key: Buffer, decoded: { seal: Seal; mac: string }): boolean {
  return timingSafeEqual(Buffer.from(mac(key, decoded.seal), 'hex'), Buffer.from(decoded.mac, 'hex'));
}
