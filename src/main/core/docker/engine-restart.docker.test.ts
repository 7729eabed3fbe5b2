import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { serverSpecSchema } from '../../../shared/servers';
import { ensureTestImage, SEQUENTIAL_THINKING } from '../../../../test-support/test-image';
import { createCore, type Core } from '../create-core';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', '..', '..', '..', 'scripts', 'dockerd-private.sh');

// Restarting an engine takes one of our own: a private dockerd (root, and dockerd installed), which
// CI always has. Elsewhere the test is skipped with the reason printed.
async function canRunOwnEngine(): Promise<boolean> {
  const root = process.getuid?.() === 0;
  const dockerd = await run('sh', ['-c', 'command -v dockerd']).then(
    () => true,
    () => false,
  );
  if (root && dockerd) return true;
  const reason = `restarting an engine needs root and dockerd (root: ${root}, dockerd: ${dockerd})`;
  if (process.env.CI) throw new Error(`CI needs this: ${reason}`);
  console.warn(`skipping the engine restart test: ${reason}`);
  return false;
}

describe('after the Docker engine restarts', async () => {
  const able = await canRunOwnEngine();
  // Short: the engine's socket path must fit a unix socket address.
  const dir = await mkdtemp(join(tmpdir(), 'dockd-'));
  const engine = {
    start: () => run('bash', [SCRIPT, 'start', dir], { timeout: 60_000 }),
    stop: () => run('bash', [SCRIPT, 'stop', dir], { timeout: 60_000 }),
  };
  let core: Core | undefined;

  afterAll(async () => {
    await core?.close();
    if (!able) return;
    await engine.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }, 120_000);

  it.skipIf(!able)(
    'servers that were running come back by themselves with their tools; one the user stopped stays stopped',
    async () => {
      await engine.start();
      const socketPath = join(dir, 'docker.sock');
      const image = await ensureTestImage(new Docker({ socketPath }));
      core = await createCore({
        mode: 'headless',
        dataDir: await mkdtemp(join(tmpdir(), 'mcp-dock-data-')),
        dockerHost: `unix://${socketPath}`,
        http: false,
        engine: { retryDelaysMs: [100, 200, 500] },
        probeTimeoutMs: 60_000,
      });
      const c = core;
      await vi.waitFor(() => expect(c.engine.status().state).toBe('reachable'), { timeout: 10_000 });
      for (const name of ['kept', 'held'])
        await c.api.servers.add({
          spec: serverSpecSchema.parse({ name, image, command: SEQUENTIAL_THINKING }),
        });
      expect((await c.containers.start('kept', { waitForProbe: true })).health.status).toBe('ready');
      await c.containers.start('held', { waitForProbe: true });
      await c.api.servers.stop({ name: 'held' });
      const before = c.containers.view('kept').container.id;

      await engine.stop();
      await vi.waitFor(() => expect(c.engine.status().state).toBe('unreachable'), { timeout: 30_000 });
      await engine.start();

      const state = async (name: string) =>
        (await c.api.servers.list()).find((v) => v.spec.name === name)?.container.state;
      await vi.waitFor(async () => expect(await state('kept')).toBe('running'), {
        timeout: 60_000,
        interval: 250,
      });
      // The same container, brought back by the engine: nothing was recreated.
      expect(c.containers.view('kept').container.id).toBe(before);
      expect(await state('held')).toBe('exited');

      const probed = await c.api.servers.probe({ name: 'kept' });
      expect(probed.health).toMatchObject({
        status: 'ready',
        tools: [expect.objectContaining({ name: 'sequentialthinking' })],
      });
      // A client's call goes through again (the gateway and snippets enter it the same way).
      const mcp = new Client({ name: 'after-restart', version: '0' });
      await mcp.connect(await c.containers.openTransport('kept'));
      const result = await mcp.callTool({
        name: 'sequentialthinking',
        arguments: { thought: 'back', thoughtNumber: 1, totalThoughts: 1, nextThoughtNeeded: false },
      });
      expect(result.isError).toBeFalsy();
      await mcp.close();
    },
    300_000,
  );
});
