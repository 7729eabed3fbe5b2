import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { watchFiles, type FileReload } from './watch-files';

describe('following changes made by other processes', () => {
  it('reloads once per burst of saves, and only for watched files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-watch-'));
    const reload = vi.fn(async () => undefined);
    const marker = vi.fn(async () => undefined);
    const stop = watchFiles(dir, { 'servers.json': reload, 'marker.json': marker }, { delayMs: 50 });
    try {
      for (let i = 0; i < 5; i++) await writeFile(join(dir, 'servers.json'), String(i));
      await writeFile(join(dir, 'other.json'), '{}');
      // Saved after the burst, so its own quiet period ends after the burst's: once it has been
      // reloaded, any second reload of the burst would have happened too.
      await writeFile(join(dir, 'marker.json'), '{}');
      await vi.waitFor(() => expect(marker).toHaveBeenCalled(), { timeout: 2000 });
      expect(reload).toHaveBeenCalledTimes(1);
    } finally {
      stop();
    }
  });

  it('tells what became of each change, a refused one with its reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-watch-'));
    const heard: FileReload[] = [];
    const stop = watchFiles(
      dir,
      {
        'good.json': async () => undefined,
        'bad.json': () => Promise.reject(new Error('bad.json is invalid (not JSON)')),
      },
      { delayMs: 20, onReload: (r) => heard.push(r) },
    );
    try {
      await writeFile(join(dir, 'good.json'), '{}');
      await writeFile(join(dir, 'bad.json'), '{');
      await vi.waitFor(() => expect(heard).toHaveLength(2), { timeout: 2000 });
      expect(heard).toContainEqual({ file: 'good.json', ok: true });
      expect(heard).toContainEqual({
        file: 'bad.json',
        ok: false,
        error: new Error('bad.json is invalid (not JSON)'),
      });
    } finally {
      stop();
    }
  });
});
