import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditFailedError } from '../audit-errors';
import { decodeSeal, SEAL_BYTES, SEAL_FILE, type DecodedSeal } from './seal-format';

export type SealFile = { state: 'absent' } | { state: 'present'; decoded: DecodedSeal };

// Reads `audit.seal` as it is now. A reader beside a running writer may catch an overwrite half
// done; the caller decides whether to look again.
export async function readSealFile(dir: string): Promise<SealFile> {
  let handle;
  try {
    handle = await open(join(dir, SEAL_FILE), 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent' };
    throw new AuditFailedError(`cannot read ${join(dir, SEAL_FILE)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    // One byte more than a seal: a longer file is not one.
    const buf = Buffer.alloc(SEAL_BYTES + 1);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    if (bytesRead !== SEAL_BYTES)
      return {
        state: 'present',
        decoded: { ok: false, reason: `${SEAL_FILE} is not a seal (${bytesRead} bytes, not ${SEAL_BYTES})` },
      };
    return { state: 'present', decoded: decodeSeal(buf.subarray(0, SEAL_BYTES)) };
  } finally {
    await handle.close();
  }
}
