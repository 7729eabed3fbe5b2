import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { serverSpecSchema, type ServerSpecInput } from '../../../shared/servers';
import { CLIENT_IDS } from '../../../shared/snippets';
import { requireEngine, removeContainersNamed } from '../../../../test-support/docker-engine';
import { createSocketProxy, type SocketProxy } from '../../../../test-support/socket-proxy';
import { ensureTestImage, SEQUENTIAL_THINKING } from '../../../../test-support/test-image';
import { createCore, type Core } from '../create-core';

// Everything here runs against the real Docker engine (DOCKER_HOST, or the default socket), with
// an MCP server image built offline from npm packages.
describe('containers on a real engine', async () => {
  const engine = await requireEngine();
  const run = randomBytes(3).toString('hex');
  let docker: Docker;
  let image: string;
  let proxy: SocketProxy;
  const cores: Core[] = [];

  beforeAll(async () => {
    if (!engine) return;
    docker = new Docker({ socketPath: engine.socketPath });
    image = await ensureTestImage(docker);
    proxy = await createSocketProxy(
      engine.socketPath,
      join(await mkdtemp(join(tmpdir(), 'mcp-dock-proxy-')), 'docker.sock'),
    );
  }, 300_000);

  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.close()));
  });

  afterAll(async () => {
    if (!engine) return;
    // Remove whatever this run created, found by the name suffix every test uses.
    await removeContainersNamed(docker, run);
    await proxy?.close();
  });

  async function start(dataDir?: string, dockerHost?: string) {
    const core = await createCore({
      mode: 'headless',
      dataDir: dataDir ?? (await mkdtemp(join(tmpdir(), 'mcp-dock-data-'))),
      dockerHost: dockerHost ?? `unix://${engine!.socketPath}`,
      http: { port: 0 },
      engine: { retryDelaysMs: [100, 200] },
      probeTimeoutMs: 60_000,
    });
    cores.push(core);
    await vi.waitFor(() => expect(core.engine.status().state).toBe('reachable'), { timeout: 10_000 });
    return core;
  }

  const spec = (name: string, extra: Partial<ServerSpecInput> = {}): ServerSpecInput => ({
    name: `${name}-${run}`,
    image,
    command: SEQUENTIAL_THINKING,
    ...extra,
  });

  it.skipIf(!engine)(
    'creates the container hardened, starts it, probes the tools, stops and removes it',
    async () => {
      const core = await start();
      const s = spec('hard');
      await core.api.servers.add({ spec: serverSpecSchema.parse({ ...s, env: { GREETING: 'hi' } }) });
      process.env.MCP_DOCK_HOST_ONLY = 'must-not-leak';
      const view = await core.containers.start(s.name, { waitForProbe: true });
      expect(view.container.state).toBe('running');
      expect(view.health).toMatchObject({
        status: 'ready',
        tools: expect.arrayContaining([expect.objectContaining({ name: 'sequentialthinking' })]),
      });

      const info = await docker.getContainer(view.containerName).inspect();
      expect(info.HostConfig).toMatchObject({
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        ReadonlyRootfs: true,
        Tmpfs: { '/tmp': expect.stringContaining('rw') },
        Memory: 512 * 1024 * 1024,
        NanoCpus: 1e9,
        PidsLimit: 256,
        NetworkMode: 'none',
        Privileged: false,
      });
      expect(JSON.stringify(info.HostConfig.Binds ?? [])).not.toContain('docker.sock');
      expect(JSON.stringify(info.Mounts)).not.toContain('docker.sock');
      expect(info.Config.Env).toContain('GREETING=hi');
      expect(info.Config.Env.join('\n')).not.toContain('must-not-leak');
      expect(info.Config.Labels).toMatchObject({
        'io.mcp-dock.managed': 'true',
        'io.mcp-dock.server': s.name,
      });
      delete process.env.MCP_DOCK_HOST_ONLY;

      // The root filesystem really is read-only, and /tmp really is writable.
      const exec = await docker.getContainer(view.containerName).exec({
        Cmd: ['sh', '-c', '(echo > /app/x) 2>/dev/null && echo rw || echo ro; echo > /tmp/x && echo tmp-ok'],
        AttachStdout: true,
        AttachStderr: true,
      });
      const out = await new Promise<string>((resolve) => {
        void exec.start({}).then((stream) => {
          let text = '';
          stream.on('data', (c: Buffer) => (text += c.toString()));
          stream.on('end', () => resolve(text));
        });
      });
      expect(out).toContain('ro');
      expect(out).toContain('tmp-ok');

      const stopped = await core.api.servers.stop({ name: s.name });
      expect(stopped.container.state).toBe('exited');
      const removed = await core.api.servers.removeContainer({ name: s.name });
      expect(removed.container.state).toBe('absent');
      await expect(docker.getContainer(view.containerName).inspect()).rejects.toMatchObject({
        statusCode: 404,
      });
    },
    180_000,
  );

  it.skipIf(!engine)(
    'every client snippet launches a working session when spawned as a client would',
    async () => {
      const core = await start();
      const s = spec('snip');
      await core.api.servers.add({ spec: serverSpecSchema.parse(s) });
      await core.containers.start(s.name, { waitForProbe: true });
      for (const client of CLIENT_IDS) {
        const snippet = await core.api.snippets.get({ client, server: s.name });
        // The snippet carries DOCKER_HOST because this engine is not the default one.
        expect(snippet.launch.env).toEqual({ DOCKER_HOST: `unix://${engine!.socketPath}` });
        const transport = new StdioClientTransport({
          command: snippet.launch.command,
          args: snippet.launch.args,
          env: { PATH: process.env.PATH ?? '', ...snippet.launch.env },
        });
        const mcp = new Client({ name: `snippet-${client}`, version: '0' });
        await mcp.connect(transport);
        const { tools } = await mcp.listTools();
        expect(
          tools.map((t) => t.name),
          client,
        ).toContain('sequentialthinking');
        await mcp.close();
      }
    },
    180_000,
  );

  it.skipIf(!engine)(
    'a name clash is an error with choices: rename, replace or adopt; never a silent failure',
    async () => {
      const core = await start();
      const s = spec('clash');
      await core.api.servers.add({ spec: serverSpecSchema.parse(s) });
      const foreign = await docker.createContainer({
        name: `mcp-dock-${s.name}`,
        Image: image,
        Cmd: ['tail', '-f', '/dev/null'],
      });
      await expect(core.api.servers.start({ name: s.name })).rejects.toMatchObject({
        code: 'NAME_CLASH',
        message: expect.stringMatching(/adopt.*rename.*replace/),
      });
      // The foreign container was not touched.
      expect((await foreign.inspect()).State.Status).toBe('created');

      const renamed = await core.api.servers.start({ name: s.name, onClash: 'rename' });
      expect(renamed.containerName).toBe(`mcp-dock-${s.name}-2`);
      expect(renamed.container.state).toBe('running');
      await core.api.servers.removeContainer({ name: s.name });

      const replaced = await core.api.servers.start({ name: s.name, onClash: 'replace' });
      expect(replaced.containerName).toBe(`mcp-dock-${s.name}`);
      expect(
        (await docker.getContainer(replaced.containerName).inspect()).Config.Labels['io.mcp-dock.managed'],
      ).toBe('true');
      await core.api.servers.removeContainer({ name: s.name });

      const other = await docker.createContainer({
        name: `mcp-dock-${s.name}`,
        Image: image,
        Cmd: ['tail', '-f', '/dev/null'],
      });
      const adopted = await core.api.servers.start({ name: s.name, onClash: 'adopt' });
      expect(adopted.container).toMatchObject({ adopted: true, state: 'running', id: other.id });
      // Letting go of an adopted container does not remove it: it is the user's.
      await core.api.servers.removeContainer({ name: s.name });
      expect((await other.inspect()).State.Running).toBe(true);
      await other.remove({ force: true });
    },
    180_000,
  );

  it.skipIf(!engine)(
    'with the engine gone an operation fails clearly, leaves nothing behind, and the list recovers',
    async () => {
      const core = await start(undefined, proxy.url);
      const s = spec('lost');
      await core.api.servers.add({ spec: serverSpecSchema.parse(s) });
      await proxy.cut();
      await vi.waitFor(() => expect(core.engine.status().state).toBe('unreachable'), { timeout: 5000 });
      await expect(core.api.servers.start({ name: s.name })).rejects.toMatchObject({
        code: 'ENGINE_UNREACHABLE',
      });
      await proxy.restore();
      await vi.waitFor(() => expect(core.engine.status().state).toBe('reachable'), { timeout: 10_000 });
      const all = await docker.listContainers({ all: true });
      expect(all.some((c) => c.Names.includes(`/mcp-dock-${s.name}`))).toBe(false);
      const view = await core.api.servers.start({ name: s.name });
      expect(view.container.state).toBe('running');
    },
    180_000,
  );

  it.skipIf(!engine)(
    'reconciles after a restart: outside changes show their true state and orphans are listed',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-data-'));
      const first = await start(dataDir);
      const s = spec('recon');
      await first.api.servers.add({ spec: serverSpecSchema.parse(s) });
      const view = await first.api.servers.start({ name: s.name });
      await first.close();
      // While MCP Dock is closed, someone stops the container and a crash leaves an orphan.
      await docker.getContainer(view.containerName).stop({ t: 1 });
      const orphan = await docker.createContainer({
        name: `mcp-dock-gone-${run}`,
        Image: image,
        Cmd: ['tail', '-f', '/dev/null'],
        Labels: { 'io.mcp-dock.managed': 'true', 'io.mcp-dock.server': `gone-${run}` },
      });

      const second = await start(dataDir);
      await vi.waitFor(
        async () =>
          expect((await second.api.servers.list()).find((v) => v.spec.name === s.name)?.container.state).toBe(
            'exited',
          ),
        { timeout: 5000 },
      );
      const orphans = await second.api.servers.orphans();
      expect(orphans).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: orphan.id, server: `gone-${run}` })]),
      );
      expect(orphans.some((o) => o.name === view.containerName)).toBe(false);
      await second.api.servers.removeOrphan({ id: orphan.id });
      await expect(orphan.inspect()).rejects.toMatchObject({ statusCode: 404 });
      // It refuses to remove anything that is not an orphan of ours.
      await expect(second.api.servers.removeOrphan({ id: view.containerName })).rejects.toMatchObject({
        code: 'CONTAINER_FAILED',
      });
    },
    180_000,
  );

  it.skipIf(!engine)(
    'state follows the engine’s events: a container stopped outside MCP Dock shows as exited',
    async () => {
      const core = await start();
      const s = spec('events');
      await core.api.servers.add({ spec: serverSpecSchema.parse(s) });
      const seen: string[] = [];
      core.api.servers.onChanged((views) => {
        const state = views.find((v) => v.spec.name === s.name)?.container.state;
        if (state && seen.at(-1) !== state) seen.push(state);
      });
      const view = await core.api.servers.start({ name: s.name });
      await docker.getContainer(view.containerName).stop({ t: 1 });
      await vi.waitFor(() => expect(seen.at(-1)).toBe('exited'), { timeout: 5000 });
    },
    180_000,
  );

  it.skipIf(!engine)(
    'injects secrets into the container and never writes them to logs, snippets or data files',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-data-'));
      const core = await start(dataDir);
      const secret = `sk-test-${randomBytes(12).toString('hex')}`;
      const s = spec('secret', { secrets: ['API_KEY'] });
      await core.api.servers.add({ spec: serverSpecSchema.parse(s), secretValues: { API_KEY: secret } });
      const view = await core.containers.start(s.name, { waitForProbe: true });
      expect(view.secretsSet).toEqual(['API_KEY']);
      const info = await docker.getContainer(view.containerName).inspect();
      expect(info.Config.Env).toContain(`API_KEY=${secret}`);

      const places: string[] = [
        JSON.stringify(await core.api.servers.list()),
        JSON.stringify(core.containers.logs(s.name)),
      ];
      for (const client of CLIENT_IDS)
        places.push(JSON.stringify(await core.api.snippets.get({ client, server: s.name })));
      for (const file of await readdir(dataDir, { recursive: true })) {
        places.push(
          await readFile(join(dataDir, file))
            .then((b) => b.toString('utf8'))
            .catch(() => ''),
        );
      }
      for (const text of places) expect(text).not.toContain(secret);
    },
    180_000,
  );

  it.skipIf(!engine)(
    'a missing image is a clear error offering the pull, and an unreachable registry says so',
    async () => {
      const core = await start();
      const s = spec('noimg', { image: `mcp-dock-test/absent-${run}:1` });
      await core.api.servers.add({ spec: serverSpecSchema.parse(s) });
      await expect(core.api.servers.start({ name: s.name })).rejects.toMatchObject({
        code: 'IMAGE_MISSING',
        message: expect.stringMatching(/Pull[\s\S]*docker build[\s\S]*docker load/),
      });
      const progress: unknown[] = [];
      core.api.servers.onPullProgress((p) => progress.push(p));
      await expect(core.api.servers.pull({ name: s.name })).rejects.toMatchObject({
        code: 'PULL_FAILED',
        message: expect.stringMatching(/cannot be reached[\s\S]*docker build -t [\s\S]*docker load -i/),
      });
      expect(progress.at(-1)).toMatchObject({ done: true, error: expect.any(String) });
      // Nothing was created along the way.
      expect((await core.api.servers.list()).find((v) => v.spec.name === s.name)?.container.state).toBe(
        'absent',
      );
    },
    180_000,
  );

  it.skipIf(!engine)(
    'run mode: no long-running container; the probe and the snippet each use a fresh hardened docker run',
    async () => {
      const core = await start();
      const s = spec('runmode', { mode: 'run' });
      await core.api.servers.add({ spec: serverSpecSchema.parse(s) });
      const probed = await core.api.servers.probe({ name: s.name });
      expect(probed.health).toMatchObject({
        status: 'ready',
        tools: [expect.objectContaining({ name: 'sequentialthinking' })],
      });
      expect(probed.container.state).toBe('absent');
      const snippet = await core.api.snippets.get({ client: 'claude-desktop', server: s.name });
      expect(snippet.launch.args.slice(0, 3)).toEqual(['run', '-i', '--rm']);
      const transport = new StdioClientTransport({
        command: snippet.launch.command,
        args: snippet.launch.args,
        env: { PATH: process.env.PATH ?? '', ...snippet.launch.env },
      });
      const mcp = new Client({ name: 'run-mode', version: '0' });
      const sessions = async () =>
        (
          await docker.listContainers({ all: true, filters: { label: [`io.mcp-dock.server=${s.name}`] } })
        ).map((c) => c.Id);
      // The gateway serves the probed server with a session of its own (a container of its own);
      // what the snippet's client starts comes on top of that.
      await vi.waitFor(
        async () =>
          expect((await core.api.gateway.status()).servers.find((x) => x.server === s.name)?.state).toBe(
            'ready',
          ),
        { timeout: 30_000 },
      );
      const before = await sessions();
      await mcp.connect(transport);
      expect((await mcp.listTools()).tools.map((t) => t.name)).toContain('sequentialthinking');
      await mcp.close();
      // --rm: the snippet's session container is gone once the client hangs up.
      await vi.waitFor(
        async () => expect((await sessions()).filter((id) => !before.includes(id))).toEqual([]),
        { timeout: 10_000 },
      );
    },
    180_000,
  );

  it.skipIf(!engine)(
    'a server that fails to start shows why, with its last log lines',
    async () => {
      const core = await start();
      const s = spec('broken', {
        command: ['node', '-e', 'console.error("boom: missing CONFIG_PATH"); process.exit(3)'],
      });
      await core.api.servers.add({ spec: serverSpecSchema.parse(s) });
      const view = await core.containers.start(s.name, { waitForProbe: true });
      expect(view.container.state).toBe('running');
      expect(view.health).toMatchObject({
        status: 'failed',
        lastLogLines: expect.arrayContaining([expect.stringContaining('boom: missing CONFIG_PATH')]),
      });
      const dead = spec('deadkeep', {
        keepAlive: ['node', '-e', 'console.error("keep-alive crashed"); process.exit(1)'],
      });
      await core.api.servers.add({ spec: serverSpecSchema.parse(dead) });
      const deadView = await core.containers.start(dead.name, { waitForProbe: true });
      expect(deadView.health).toMatchObject({
        status: 'failed',
        reason: expect.stringMatching(/the container stopped/),
        lastLogLines: expect.arrayContaining([expect.stringContaining('keep-alive crashed')]),
      });
    },
    180_000,
  );

  it.skipIf(!engine)(
    '"Add to client" writes an entry the client can launch, keeps the rest of its file, and removes it again',
    async () => {
      const home = await mkdtemp(join(tmpdir(), 'mcp-dock-home-'));
      const core = await createCore({
        mode: 'headless',
        dataDir: await mkdtemp(join(tmpdir(), 'mcp-dock-data-')),
        dockerHost: `unix://${engine!.socketPath}`,
        http: false,
        clientHome: home,
      });
      cores.push(core);
      await vi.waitFor(() => expect(core.engine.status().state).toBe('reachable'), { timeout: 10_000 });
      const s = spec('client');
      await core.api.servers.add({ spec: serverSpecSchema.parse(s) });
      await core.containers.start(s.name, { waitForProbe: true });
      const { mkdir, writeFile } = await import('node:fs/promises');
      await mkdir(join(home, '.cursor'));
      await writeFile(
        join(home, '.cursor', 'mcp.json'),
        '{\n  // mine\n  "mcpServers": { "other": { "command": "x" } }\n}\n',
      );
      const added = await core.api.clientConfigs.add({ client: 'cursor', server: s.name });
      expect(added).toMatchObject({
        path: join(home, '.cursor', 'mcp.json'),
        changed: true,
        backup: expect.stringContaining('mcp-dock-backup'),
      });
      const text = await readFile(added.path, 'utf8');
      expect(text).toContain('// mine');
      const { parse } = await import('jsonc-parser');
      const entry = (
        parse(text) as {
          mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
        }
      ).mcpServers[s.name]!;
      const transport = new StdioClientTransport({
        command: entry.command,
        args: entry.args,
        env: { PATH: process.env.PATH ?? '', ...entry.env },
      });
      const mcp = new Client({ name: 'from-config', version: '0' });
      await mcp.connect(transport);
      expect((await mcp.listTools()).tools.map((t) => t.name)).toContain('sequentialthinking');
      await mcp.close();
      expect(await core.api.clientConfigs.has({ client: 'cursor', server: s.name })).toMatchObject({
        present: true,
      });
      await core.api.clientConfigs.remove({ client: 'cursor', server: s.name });
      expect(parse(await readFile(added.path, 'utf8'))).toEqual({ mcpServers: { other: { command: 'x' } } });
    },
    180_000,
  );
});
