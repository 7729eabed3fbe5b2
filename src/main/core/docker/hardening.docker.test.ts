import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { serverSpecSchema, type ServerSpecInput } from '../../../shared/servers';
import { requireEngine, removeContainersNamed } from '../../../../test-support/docker-engine';
import { ensureTestImage, SEQUENTIAL_THINKING } from '../../../../test-support/test-image';
import { createCore, type Core } from '../create-core';
import { readDockerFrames } from './docker-frames';

// What a started server's container may do, checked from inside it on the real engine.
describe('container hardening on a real engine', async () => {
  const engine = await requireEngine();
  const run = randomBytes(3).toString('hex');
  let docker: Docker;
  let image: string;
  let userImage: string;
  const cores: Core[] = [];

  beforeAll(async () => {
    if (!engine) return;
    docker = new Docker({ socketPath: engine.socketPath });
    image = await ensureTestImage(docker);
    // The same image, declaring a non-root user of its own (as `USER 4321:4321` in a Dockerfile).
    const base = await docker.createContainer({ Image: image, Cmd: ['true'] });
    userImage = `mcp-dock-test/with-user:${run}`;
    await base.commit({ repo: 'mcp-dock-test/with-user', tag: run, changes: 'USER 4321:4321' });
    await base.remove({ force: true });
  }, 300_000);

  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.close()));
  });

  afterAll(async () => {
    if (!engine) return;
    await removeContainersNamed(docker, run);
    await docker
      .getImage(userImage)
      .remove({ force: true })
      .catch(() => undefined);
  });

  async function start() {
    const core = await createCore({
      mode: 'headless',
      dataDir: await mkdtemp(join(tmpdir(), 'mcp-dock-data-')),
      dockerHost: `unix://${engine!.socketPath}`,
      http: false,
      engine: { retryDelaysMs: [100, 200] },
      probeTimeoutMs: 60_000,
    });
    cores.push(core);
    await vi.waitFor(() => expect(core.engine.status().state).toBe('reachable'), { timeout: 10_000 });
    return core;
  }

  // Runs a node one-liner inside the container and returns what it printed.
  async function inside(container: string, script: string): Promise<string> {
    const exec = await docker.getContainer(container).exec({
      Cmd: ['node', '-e', script],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({});
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    return readDockerFrames(Buffer.concat(chunks))
      .map((f) => f.text)
      .join('');
  }

  const TRY_EXEC_IN_TMP = `
    const fs = require('node:fs');
    fs.copyFileSync('/bin/sh', '/tmp/sh-copy');
    fs.chmodSync('/tmp/sh-copy', 0o755);
    try { require('node:child_process').execFileSync('/tmp/sh-copy', ['-c', 'true']); console.log('exec:allowed'); }
    catch (e) { console.log('exec:' + e.code); }
    console.log('uid:' + process.getuid() + ':' + process.getgid());`;

  const spec = (name: string, extra: Partial<ServerSpecInput> = {}) =>
    serverSpecSchema.parse({ name: `${name}-${run}`, image, command: SEQUENTIAL_THINKING, ...extra });

  it.skipIf(!engine)(
    'runs as non-root, /tmp noexec, the log capped, set to come back with the engine; the server still works',
    async () => {
      const core = await start();
      const s = spec('plain');
      await core.api.servers.add({ spec: s });
      const view = await core.containers.start(s.name, { waitForProbe: true });
      expect(view.health).toMatchObject({ status: 'ready' });
      const info = await docker.getContainer(view.containerName).inspect();
      expect(info.Config.User).toBe('65534:65534');
      expect(info.HostConfig.LogConfig).toEqual({
        Type: 'json-file',
        Config: { 'max-size': '10m', 'max-file': '3' },
      });
      expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
      // The existing hardening stays.
      expect(info.HostConfig).toMatchObject({
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        ReadonlyRootfs: true,
        Privileged: false,
      });
      const out = await inside(view.containerName, TRY_EXEC_IN_TMP);
      expect(out).toContain('exec:EACCES');
      expect(out).toContain('uid:65534:65534');
    },
    180_000,
  );

  it.skipIf(!engine)(
    'a keep-alive that dies at Start is stopped, not restarted by its policy forever',
    async () => {
      const core = await start();
      const s = spec('loop', {
        keepAlive: ['node', '-e', 'console.error("keep-alive died"); process.exit(1)'],
      });
      await core.api.servers.add({ spec: s });
      const view = await core.containers.start(s.name, { waitForProbe: true });
      expect(view.health).toMatchObject({ status: 'failed', reason: expect.stringMatching(/stopped/) });
      const info = await docker.getContainer(view.containerName).inspect();
      expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
      // Stopped by MCP Dock: the engine's restart manager is off for it, until the next Start.
      expect(info.State).toMatchObject({ Status: 'exited', Restarting: false });
      expect(view.container.state).toBe('exited');
    },
    180_000,
  );

  it.skipIf(!engine)(
    'uses the image’s own non-root user, or the one the spec names; relaxing /tmp allows programs there',
    async () => {
      const core = await start();
      const fromImage = spec('imguser', { image: userImage });
      await core.api.servers.add({ spec: fromImage });
      const a = await core.containers.start(fromImage.name, { waitForProbe: true });
      expect(a.health).toMatchObject({ status: 'ready' });
      expect(await inside(a.containerName, TRY_EXEC_IN_TMP)).toContain('uid:4321:4321');

      const named = spec('named', { user: '1000:1000', relax: { tmpExec: true } });
      await core.api.servers.add({ spec: named });
      const b = await core.containers.start(named.name, { waitForProbe: true });
      expect(b.health).toMatchObject({ status: 'ready' });
      const out = await inside(b.containerName, TRY_EXEC_IN_TMP);
      expect(out).toContain('uid:1000:1000');
      expect(out).toContain('exec:allowed');

      // Root only when asked for by name.
      const root = spec('root', { user: 'root' });
      await core.api.servers.add({ spec: root });
      const c = await core.containers.start(root.name, { waitForProbe: true });
      expect(await inside(c.containerName, TRY_EXEC_IN_TMP)).toContain('uid:0:0');
    },
    180_000,
  );
});
