import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { watchFiles } from './watch-files';

describe('following changes made by other processes', () => {
  it('reloads once per burst of saves, and only for watched files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-watch-'));
    const reload = vi.fn(async () => undefined);
    const stop = watchFiles(dir, { 'servers.json': reload }, 50);
    try {
      for (let i = 0; i < 5; i++) await writeFile(join(dir, 'servers.json'), String(i));
      await writeFile(join(dir, 'other.json'), '{}');
      await vi.waitFor(() => expect(reload).toHaveBeenCalledTimes(1), { timeout: 2000 });
      await new Promise((r) => setTimeout(r, 150));
      expect(reload).toHaveBeenCalledTimes(1);
    } finally {
      stop();
    }
  });
});
