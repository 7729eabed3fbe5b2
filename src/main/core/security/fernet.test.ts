import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Fernet, generateFernetKey, MultiFernet } from './fernet';

// The Fernet spec's own vectors (github.com/fernet/spec), copied into test-support.
const dir = join(__dirname, '../../../../test-support/vectors/fernet');
interface Vector {
  token: string;
  now: string;
  src: string;
  secret: string;
  iv?: number[];
  ttl_sec?: number;
}
const generate = JSON.parse(readFileSync(join(dir, 'generate.json'), 'utf8')) as Vector[];
const verify = JSON.parse(readFileSync(join(dir, 'verify.json'), 'utf8')) as Vector[];
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

describe('Fernet against the spec vectors', () => {
  it.each(generate)('generates $token', (v) => {
    expect(new Fernet(v.secret).encrypt(v.src, { now: seconds(v.now), iv: Buffer.from(v.iv!) })).toBe(
      v.token,
    );
  });

  it.each(verify)('verifies $token', (v) => {
    expect(new Fernet(v.secret).decrypt(v.token, { ttl: v.ttl_sec, now: seconds(v.now) }).toString()).toBe(
      v.src,
    );
  });
});

describe('Fernet refuses what it must', () => {
  const v = verify[0]!;
  const f = new Fernet(v.secret);
  const at = seconds(v.now);
  const bytes = () => Buffer.from(v.token, 'base64url');
  const encode = (b: Buffer) => b.toString('base64url').padEnd(Math.ceil(b.length / 3) * 4, '=');

  it.each([
    ['an expired token', () => f.decrypt(v.token, { ttl: 60, now: at + 120 }), /expired/],
    ['a token from the future', () => f.decrypt(v.token, { now: at - 3600 }), /future/],
    ['a wrong key', () => new Fernet(generateFernetKey()).decrypt(v.token, { now: at }), /signature/],
    [
      'a flipped ciphertext bit',
      () => {
        const b = bytes();
        b[30]! ^= 1;
        return f.decrypt(encode(b), { now: at });
      },
      /signature/,
    ],
    [
      'a wrong version byte',
      () => {
        const b = bytes();
        b[0] = 0x81;
        return f.decrypt(encode(b), { now: at });
      },
      /version/,
    ],
    ['a truncated token', () => f.decrypt(encode(bytes().subarray(0, 40)), { now: at }), /too short/],
    ['not base64', () => f.decrypt('gAAAA$$$', { now: at }), /base64/],
    [
      'standard base64 characters',
      () =>
        f.decrypt(
          v.token.replace(/-/g, '+').replace(/_/g, '/') +
            (v.token.includes('-') || v.token.includes('_') ? '' : '+'),
          { now: at },
        ),
      /base64/,
    ],
  ])('refuses %s', (_label, run, pattern) => {
    expect(run).toThrow(pattern);
  });

  it('refuses bad keys with a clear message', () => {
    expect(() => new Fernet('short')).toThrow(/32 bytes/);
    expect(() => new Fernet(Buffer.alloc(16).toString('base64url'))).toThrow(/32 bytes/);
  });

  it('names what is wrong with a key or an IV, as INVALID_INPUT', () => {
    const refused = (name: string, message: string) =>
      expect.objectContaining({ name, code: 'INVALID_INPUT', message });
    // Padded, as Python writes keys: only the length is wrong.
    expect(() => new Fernet(Buffer.alloc(16).toString('base64'))).toThrow(
      refused('InvalidFernetKey', 'a Fernet key is 32 bytes; this one has 16'),
    );
    expect(() => new MultiFernet([])).toThrow(
      refused('InvalidFernetKey', 'MultiFernet needs at least one key'),
    );
    expect(() => new Fernet(generateFernetKey()).encrypt('x', { iv: Buffer.alloc(8) })).toThrow(
      refused('InvalidFernetIv', 'a Fernet IV is 16 bytes'),
    );
  });

  it('round-trips binary data and strings', () => {
    const key = generateFernetKey();
    expect(key).toHaveLength(44);
    const data = Buffer.from([0, 255, 1, 2, 3]);
    expect(new Fernet(key).decrypt(new Fernet(key).encrypt(data))).toEqual(data);
  });
});

describe('MultiFernet', () => {
  it('encrypts with the newest key, decrypts with any, and rotates old tokens', () => {
    const oldKey = new Fernet(generateFernetKey());
    const newKey = new Fernet(generateFernetKey());
    const legacy = oldKey.encrypt('secret', { now: 1_000_000 });
    const multi = new MultiFernet([newKey, oldKey]);
    expect(multi.decrypt(legacy, { now: 1_000_010 }).toString()).toBe('secret');
    const rotated = multi.rotate(legacy);
    expect(newKey.timestampOf(rotated)).toBe(1_000_000);
    expect(() => oldKey.decrypt(rotated)).toThrow(/signature/);
    expect(newKey.decrypt(rotated).toString()).toBe('secret');
    expect(() => new MultiFernet([])).toThrow();
  });
});

describe('generateFernetKey', () => {
  it('never starts with "-", so a key is never taken for a command-line flag', () => {
    // 0xfb… encodes to "-" first in base64url; the second draw does not.
    const draws = [Buffer.alloc(32, 0xfb), Buffer.alloc(32, 0x01)];
    const key = generateFernetKey(() => draws.shift()!);
    expect(key.startsWith('-')).toBe(false);
    expect(draws).toEqual([]);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/);
  });
});
