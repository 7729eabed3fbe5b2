import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fakeEngine } from '../../../test-support/fake-engine';
import { createCore } from '../core/create-core';
import type { FileReload } from '../core/store/watch-files';
import type { CliIo } from './io';
import { runCommand } from './run';

describe('the app follows what the CLI does', () => {
  it('the running app lists a server the CLI just added, and keeps working if the file is broken', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-data-'));
    const reloads: FileReload[] = [];
    const core = await createCore({
      mode: 'headless',
      dataDir,
      http: false,
      dockerHost: 'unix:///fake.sock',
      engine: { connect: fakeEngine().connect },
      onDataDirReload: (reload) => reloads.push(reload),
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
      await vi.waitFor(
        () => expect(reloads.filter((r) => !r.ok).map((r) => r.file)).toContain('servers.json'),
        {
          timeout: 3000,
        },
      );
      expect(reloads.find((r) => !r.ok)).toMatchObject({ error: { code: 'STORE_FILE_INVALID' } });
      expect((await core.api.servers.list()).map((v) => v.spec.name)).toContain('from-cli');
    } finally {
      await core.close();
    }
  });
});
