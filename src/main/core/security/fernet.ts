import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DockError } from '../../../shared/errors';

// Fernet, byte-compatible with Python's cryptography.fernet: version 0x80, 64-bit big-endian
// timestamp, 128-bit IV, AES-128-CBC with PKCS7, HMAC-SHA256 over all of that, urlsafe base64.
// The key is 32 bytes: the first half signs, the second half encrypts.

const VERSION = 0x80;
const MAX_CLOCK_SKEW_S = 60;
const HEADER = 1 + 8 + 16;
const MAC = 32;

export class InvalidFernetToken extends DockError {
  constructor(reason: string) {
    super('INVALID_INPUT', `invalid Fernet token: ${reason}`);
  }
}

// A key that is not one (or none at all): the message says what a Fernet key is.
export class InvalidFernetKey extends DockError {
  constructor(message: string) {
    super('INVALID_INPUT', message);
  }
}

export class InvalidFernetIv extends DockError {
  constructor() {
    super('INVALID_INPUT', 'a Fernet IV is 16 bytes');
  }
}

// urlsafe base64 exactly as Python writes it (with padding); anything else is refused rather
// than guessed at, so two implementations never disagree about what a token says.
function strictBase64Url(text: string, what: string): Buffer {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text) || text.length % 4 !== 0)
    throw new InvalidFernetToken(`${what} is not urlsafe base64`);
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text.replace(/=+$/, ''))
    throw new InvalidFernetToken(`${what} is not canonical base64`);
  return bytes;
}

// A key that starts with "-" is as good as any, but `--key -abc…` reads as a flag on every command
// line (1 key in 64 would), so such keys are drawn again, as generated client secrets are.
export function generateFernetKey(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const key = random(32).toString('base64url').padEnd(44, '=');
    if (!key.startsWith('-')) return key;
  }
}

export interface EncryptOptions {
  // Seconds since the epoch; tests and the spec vectors fix it.
  now?: number;
  iv?: Buffer;
}

export interface DecryptOptions {
  ttl?: number;
  now?: number;
}

export class Fernet {
  readonly #signing: Buffer;
  readonly #encryption: Buffer;

  constructor(key: string) {
    let raw: Buffer;
    try {
      raw = strictBase64Url(key.trim(), 'the key');
    } catch {
      throw new InvalidFernetKey(
        'a Fernet key is 32 bytes in urlsafe base64 (44 characters, as `mcp-dock crypto keygen` prints)',
      );
    }
    if (raw.length !== 32) throw new InvalidFernetKey(`a Fernet key is 32 bytes; this one has ${raw.length}`);
    this.#signing = raw.subarray(0, 16);
    this.#encryption = raw.subarray(16);
  }

  encrypt(data: Buffer | string, options: EncryptOptions = {}): string {
    const iv = options.iv ?? randomBytes(16);
    if (iv.length !== 16) throw new InvalidFernetIv();
    const now = options.now ?? Math.floor(Date.now() / 1000);
    const cipher = createCipheriv('aes-128-cbc', this.#encryption, iv);
    const body = Buffer.concat([
      cipher.update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data),
      cipher.final(),
    ]);
    const header = Buffer.alloc(9);
    header[0] = VERSION;
    header.writeBigUInt64BE(BigInt(now), 1);
    const signed = Buffer.concat([header, iv, body]);
    const mac = createHmac('sha256', this.#signing).update(signed).digest();
    return Buffer.concat([signed, mac])
      .toString('base64url')
      .padEnd(Math.ceil((signed.length + MAC) / 3) * 4, '=');
  }

  decrypt(token: string, options: DecryptOptions = {}): Buffer {
    const data = strictBase64Url(token.trim(), 'the token');
    if (data.length < HEADER + 16 + MAC) throw new InvalidFernetToken('it is too short');
    if (data[0] !== VERSION) throw new InvalidFernetToken('unknown version byte');
    const timestamp = Number(data.readBigUInt64BE(1));
    const now = options.now ?? Math.floor(Date.now() / 1000);
    if (options.ttl !== undefined && timestamp + options.ttl < now)
      throw new InvalidFernetToken('it has expired (older than the TTL)');
    if (now + MAX_CLOCK_SKEW_S < timestamp) throw new InvalidFernetToken('its timestamp is in the future');
    const signed = data.subarray(0, data.length - MAC);
    const expected = createHmac('sha256', this.#signing).update(signed).digest();
    if (!timingSafeEqual(expected, data.subarray(data.length - MAC)))
      throw new InvalidFernetToken('the signature does not match (wrong key or altered token)');
    const body = data.subarray(HEADER, data.length - MAC);
    if (body.length % 16 !== 0)
      throw new InvalidFernetToken('the ciphertext length is not a multiple of the block size');
    try {
      const decipher = createDecipheriv('aes-128-cbc', this.#encryption, data.subarray(9, HEADER));
      return Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      throw new InvalidFernetToken('the padding is invalid');
    }
  }

  timestampOf(token: string): number {
    return Number(strictBase64Url(token.trim(), 'the token').readBigUInt64BE(1));
  }
}

// Key rotation as in cryptography's MultiFernet: encrypt with the first key, decrypt with any.
export class MultiFernet {
  constructor(readonly fernets: readonly Fernet[]) {
    if (fernets.length === 0) throw new InvalidFernetKey('MultiFernet needs at least one key');
  }

  encrypt(data: Buffer | string, options?: EncryptOptions): string {
    return this.fernets[0]!.encrypt(data, options);
  }

  decrypt(token: string, options?: DecryptOptions): Buffer {
    let last: unknown;
    for (const fernet of this.fernets) {
      try {
        return fernet.decrypt(token, options);
      } catch (error) {
        last = error;
      }
    }
    throw last;
  }

  // Re-encrypts under the first key, keeping the original timestamp.
  rotate(token: string): string {
    const plain = this.decrypt(token);
    const timestamp = this.fernets
      .find((f) => {
        try {
          f.decrypt(token);
          return true;
        } catch {
          return false;
        }
      })!
      .timestampOf(token);
    return this.encrypt(plain, { now: timestamp });
  }
}
