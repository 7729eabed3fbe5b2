import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fakeEngine } from '../../../../test-support/fake-engine';
import type { CliIo } from '../../cli/io';
import { runCommand } from '../../cli/run';
import { createCore } from '../create-core';
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

  it('the running app lists a server the CLI just added, and keeps working if the file is broken', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-data-'));
    const core = await createCore({
      mode: 'headless',
      dataDir,
      http: false,
      dockerHost: 'unix:///fake.sock',
      engine: { connect: fakeEngine().connect },
    });
    try {
      const seen: string[][] = [];
      core.api.servers.onChanged((views) => seen.push(views.map((v) => v.spec.name)));
      const io: CliIo = {
        out: () => undefined,
        err: () => undefined,
        signal: new AbortController().signal,
        env: { DOCKER_HOST: 'unix:///fake.sock' },
      };
      expect(
        await runCommand(
          'servers',
          ['add', 'from-cli', '--image', 'img:1', '--data-dir', dataDir, '--', 'srv'],
          io,
        ),
      ).toBe(0);
      await vi.waitFor(
        async () => expect((await core.api.servers.list()).map((v) => v.spec.name)).toContain('from-cli'),
        { timeout: 3000 },
      );
      expect(seen.at(-1)).toContain('from-cli');
      // A half-written edit by hand keeps the last good list instead of emptying it.
      await writeFile(join(dataDir, 'servers.json'), '{ "version": 1, "servers": [');
      await new Promise((r) => setTimeout(r, 400));
      expect((await core.api.servers.list()).map((v) => v.spec.name)).toContain('from-cli');
    } finally {
      await core.close();
    }
  });
});
