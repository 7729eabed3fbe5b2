import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { serverSpecSchema } from '../../../shared/servers';
import { requireEngine, removeContainersNamed } from '../../../../test-support/docker-engine';
import { ensureTestImage, SEQUENTIAL_THINKING } from '../../../../test-support/test-image';
import { createCore, type Core } from '../create-core';

// Two MCP Dock data directories on one engine: each judges only its own containers.
describe('containers of several MCP Dock instances on one engine', async () => {
  const engine = await requireEngine();
  const run = randomBytes(3).toString('hex');
  let docker: Docker;
  let image: string;
  const cores: Core[] = [];

  beforeAll(async () => {
    if (!engine) return;
    docker = new Docker({ socketPath: engine.socketPath });
    image = await ensureTestImage(docker);
  }, 300_000);

  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.close()));
  });

  afterAll(async () => {
    if (!engine) return;
    await removeContainersNamed(docker, run);
  });

  async function start(dataDir?: string) {
    const core = await createCore({
      mode: 'headless',
      dataDir: dataDir ?? (await mkdtemp(join(tmpdir(), 'mcp-dock-data-'))),
      dockerHost: `unix://${engine!.socketPath}`,
      http: false,
      engine: { retryDelaysMs: [100, 200] },
      probeTimeoutMs: 60_000,
    });
    cores.push(core);
    await vi.waitFor(() => expect(core.engine.status().state).toBe('reachable'), { timeout: 10_000 });
    return core;
  }

  const startServer = async (core: Core, name: string) => {
    await core.api.servers.add({
      spec: serverSpecSchema.parse({ name, image, command: SEQUENTIAL_THINKING }),
    });
    return core.api.servers.start({ name });
  };

  it.skipIf(!engine)(
    'labels containers with their instance, offers only its own left-overs, and never a running one as safe',
    async () => {
      const dataA = await mkdtemp(join(tmpdir(), 'mcp-dock-data-'));
      const a = await start(dataA);
      const b = await start();
      const mineA = await startServer(a, `a-${run}`);
      const mineB = await startServer(b, `b-${run}`);
      const labelsA = (await docker.getContainer(mineA.containerName).inspect()).Config.Labels;
      const labelsB = (await docker.getContainer(mineB.containerName).inspect()).Config.Labels;
      expect(labelsA['io.mcp-dock.instance']).toMatch(/^[0-9a-f]{16,}$/);
      expect(labelsB['io.mcp-dock.instance']).toMatch(/^[0-9a-f]{16,}$/);
      expect(labelsA['io.mcp-dock.instance']).not.toBe(labelsB['io.mcp-dock.instance']);
      // The id belongs to the data directory: a second core on the same one uses it too.
      await a.close();
      const again = await start(dataA);
      await vi.waitFor(async () =>
        expect(
          (await again.api.servers.list()).find((v) => v.spec.name === `a-${run}`)?.container.state,
        ).toBe('running'),
      );

      // Left-overs as a crash leaves them: containers of servers neither instance knows any more.
      const leftover = (labels: Record<string, string>, name: string, running: boolean) =>
        docker
          .createContainer({
            name,
            Image: image,
            Cmd: ['tail', '-f', '/dev/null'],
            Labels: { ...labels, 'io.mcp-dock.server': name },
          })
          .then(async (c) => {
            if (running) await c.start();
            return c;
          });
      const stoppedA = await leftover(labelsA, `gone-a-${run}`, false);
      const runningA = await leftover(labelsA, `busy-a-${run}`, true);
      const stoppedB = await leftover(labelsB, `gone-b-${run}`, false);
      // Made before containers carried the instance label: nobody can tell whose it is.
      const legacyLabels = { ...labelsA };
      delete legacyLabels['io.mcp-dock.instance'];
      const legacy = await leftover(legacyLabels, `old-${run}`, false);

      const orphans = (await again.api.servers.orphans()).filter((o) => o.name.includes(run));
      const byId = new Map(orphans.map((o) => [o.id, o]));
      // The other instance's containers, its running server included, are not offered at all.
      expect(byId.has(stoppedB.id)).toBe(false);
      expect(orphans.some((o) => o.name === mineB.containerName)).toBe(false);
      // Its own server's container is not a left-over.
      expect(orphans.some((o) => o.name === mineA.containerName)).toBe(false);
      expect(byId.get(stoppedA.id)).toMatchObject({ owner: 'this', safeToRemove: true, state: 'created' });
      expect(byId.get(runningA.id)).toMatchObject({ owner: 'this', safeToRemove: false, state: 'running' });
      expect(byId.get(legacy.id)).toMatchObject({ owner: 'unknown', safeToRemove: false });

      // Removal follows the same rules: the other instance's containers and running ones are refused.
      await expect(again.api.servers.removeOrphan({ id: mineB.containerName })).rejects.toMatchObject({
        code: 'CONTAINER_FAILED',
      });
      await expect(again.api.servers.removeOrphan({ id: stoppedB.id })).rejects.toMatchObject({
        code: 'CONTAINER_FAILED',
      });
      await expect(again.api.servers.removeOrphan({ id: runningA.id })).rejects.toMatchObject({
        code: 'CONTAINER_FAILED',
        message: expect.stringMatching(/running/),
      });
      expect((await docker.getContainer(mineB.containerName).inspect()).State.Running).toBe(true);
      expect((await runningA.inspect()).State.Running).toBe(true);
      await again.api.servers.removeOrphan({ id: stoppedA.id });
      await expect(stoppedA.inspect()).rejects.toMatchObject({ statusCode: 404 });
      // A stopped container of unknown owner can go once the user chose to.
      await again.api.servers.removeOrphan({ id: legacy.id });
      await expect(legacy.inspect()).rejects.toMatchObject({ statusCode: 404 });

      // B sees its own left-over and none of A's.
      const seenByB = (await b.api.servers.orphans()).filter((o) => o.name.includes(run));
      expect(seenByB.map((o) => o.id)).toEqual([stoppedB.id]);
    },
    240_000,
  );
});
