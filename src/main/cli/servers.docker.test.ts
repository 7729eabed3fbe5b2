import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { requireEngine } from '../../../test-support/docker-engine';
import { ensureTestImage } from '../../../test-support/test-image';
import type { CliIo } from './io';
import { runCommand } from './run';

describe('mcp-dock servers against a real engine', async () => {
  const engine = await requireEngine();

  it.skipIf(!engine)(
    'adds, starts (listing tools), prints snippets and logs, stops and removes a server',
    async () => {
      const image = await ensureTestImage(new Docker({ socketPath: engine!.socketPath }));
      const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-cli-'));
      const name = `cli-${randomBytes(3).toString('hex')}`;
      const cli = async (...argv: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const io: CliIo = {
          out: (l) => out.push(l),
          err: (l) => err.push(l),
          signal: new AbortController().signal,
          env: { DOCKER_HOST: `unix://${engine!.socketPath}`, API_TOKEN: 'cli-secret-value' },
        };
        const [command, ...rest] = argv;
        const code = await runCommand(command, [...rest, '--data-dir', dataDir], io);
        return { code, out: out.join('\n'), err: err.join('\n') };
      };
      // --data-dir must come before `--` for add, so add builds its argv by hand.
      const added = await runCommand(
        'servers',
        [
          'add',
          name,
          '--image',
          image,
          '--env',
          'MODE=test',
          '--secret',
          'API_TOKEN',
          '--data-dir',
          dataDir,
          '--',
          'mcp-server-sequential-thinking',
        ],
        {
          out: () => undefined,
          err: () => undefined,
          signal: new AbortController().signal,
          env: { DOCKER_HOST: `unix://${engine!.socketPath}`, API_TOKEN: 'cli-secret-value' },
        },
      );
      expect(added).toBe(0);
      const started = await cli('servers', 'start', name);
      expect(started.code, started.err).toBe(0);
      expect(started.out).toMatch(/running[\s\S]*, 1 tool: sequentialthinking/);
      expect(started.out).not.toMatch(/\b1 tools\b/);
      const listed = await cli('servers', 'list');
      expect(listed.out).toMatch(new RegExp(`${name}\\tuser\\texec\\t.*\\trunning\\t`));
      const snippet = await cli('snippet', 'vscode', name);
      expect(JSON.parse(snippet.out)).toMatchObject({
        servers: { [name]: { type: 'stdio', command: 'docker' } },
      });
      expect(snippet.out).not.toContain('cli-secret-value');
      expect((await cli('servers', 'logs', name)).code).toBe(0);
      expect((await cli('servers', 'restart', name)).out).toMatch(/running/);
      expect((await cli('servers', 'stop', name)).out).toMatch(/exited/);
      expect((await cli('servers', 'remove', name)).out).toMatch(/Removed/);
      expect((await cli('servers', 'list')).out).not.toContain(name);
    },
    180_000,
  );
});
