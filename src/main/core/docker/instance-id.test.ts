import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INSTANCE_FILE, openInstanceId } from './instance-id';

const dir = () => mkdtemp(join(tmpdir(), 'mcp-dock-instance-'));

describe('instance id', () => {
  it('is made once per data directory, 0600, and the same for everyone who opens it at once', async () => {
    const d = await dir();
    const ids = await Promise.all(Array.from({ length: 8 }, () => openInstanceId(d)));
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(await openInstanceId(d)).toBe(ids[0]);
    expect((await stat(join(d, INSTANCE_FILE))).mode & 0o777).toBe(0o600);
    expect(await openInstanceId(await dir())).not.toBe(ids[0]);
  });

  it('refuses a damaged file rather than disown the directory’s containers with a new id', async () => {
    const d = await dir();
    await writeFile(join(d, INSTANCE_FILE), '{"version":1,"id":"not hex"}');
    await expect(openInstanceId(d)).rejects.toMatchObject({
      code: 'DATA_DIR_UNUSABLE',
      message: expect.stringContaining(INSTANCE_FILE),
    });
    expect(await readFile(join(d, INSTANCE_FILE), 'utf8')).toBe('{"version":1,"id":"not hex"}');
  });
});
