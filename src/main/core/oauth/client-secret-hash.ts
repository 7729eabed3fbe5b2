import {
  createHmac,
  randomBytes,
  scrypt as scryptCb,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

const PARAMS = { N: 16384, r: 8, p: 1 } as const;

// Confidential clients' secrets are shown once and kept only as hashes. A secret MCP Dock made
// (256 random bits) cannot be guessed, so one salted HMAC-SHA-256 protects it as well as scrypt
// would, at a token endpoint's pace; a secret the user chose (the guide's `secret`) may be weak
// and gets scrypt, whose cost is the point.
export async function hashClientSecret(
  secret: string,
  options: { generated?: boolean } = {},
): Promise<string> {
  const salt = randomBytes(16);
  if (options.generated) {
    const mac = createHmac('sha256', salt).update(secret).digest();
    return `hmac-sha256$${salt.toString('base64url')}$${mac.toString('base64url')}`;
  }
  const hash = await scrypt(secret, salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export function isClientSecretHash(value: string): boolean {
  return /^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/.test(value) || /^hmac-sha256\$[\w-]+\$[\w-]+$/.test(value);
}

// Constant time in the secret: the comparison covers the whole derived key whatever matches.
export async function verifyClientSecret(stored: string, presented: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts[0] === 'hmac-sha256' && parts.length === 3) {
    const expected = Buffer.from(parts[2]!, 'base64url');
    const actual = createHmac('sha256', Buffer.from(parts[1]!, 'base64url')).update(presented).digest();
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(presented, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(expected, actual);
}
