import type * as NodeCrypto from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createClientAdmin } from './client-admin';
import { openOAuthStore } from './file-adapter';

// 0xF8 opens a base64url string with "-": about 1 in 64 random secrets did, and `--secret <that>`
// is then read as another flag by every command line parser.
const dashFirst = vi.hoisted(() => ({ left: 0 }));
vi.mock('node:crypto', async (original) => {
  const real = await original<typeof NodeCrypto>();
  return {
    ...real,
    randomBytes: (size: number) => {
      const bytes = real.randomBytes(size);
      if (size === 32 && dashFirst.left > 0) {
        dashFirst.left--;
        bytes[0] = 0xf8;
      }
      return bytes;
    },
  };
});

describe('generated client secrets', () => {
  it('never start with "-", even when the random bytes would make them', async () => {
    const admin = createClientAdmin(await openOAuthStore(await mkdtemp(join(tmpdir(), 'mcp-dock-secret-'))));
    dashFirst.left = 3;
    for (const name of ['one', 'two', 'three']) {
      const { client_secret } = await admin.create({
        name,
        grant: 'client_credentials',
        scope: 'mcp.access',
      });
      expect(client_secret).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{42}$/);
    }
  });
});
