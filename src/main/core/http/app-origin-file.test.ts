import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHeadlessCore } from '../../../../test-support/headless-core';
import { APP_ORIGIN_FILE, readAppOrigin } from './app-origin-file';

describe('app-origin.json', () => {
  it('says where the running app answers while it runs, and is gone when it stops', async () => {
    const core = await startHeadlessCore();
    expect(await readAppOrigin(core.dataDir)).toEqual({
      origin: core.httpOrigin,
      pid: process.pid,
      // This run's secret for /control (held calls), in a file only its owner reads.
      control: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect((await stat(join(core.dataDir, APP_ORIGIN_FILE))).mode & 0o777).toBe(0o600);
    await core.close();
    expect(await readAppOrigin(core.dataDir)).toBeUndefined();
    await expect(readFile(join(core.dataDir, APP_ORIGIN_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('ignores a record left by a process that no longer runs, and one that is not ours to read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-origin-'));
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(join(dir, APP_ORIGIN_FILE), JSON.stringify({ origin: 'http://127.0.0.1:1', pid: gone }));
    expect(await readAppOrigin(dir)).toBeUndefined();
    await writeFile(join(dir, APP_ORIGIN_FILE), '{ half');
    expect(await readAppOrigin(dir)).toBeUndefined();
  });
});
