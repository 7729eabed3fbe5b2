import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { describe, expect, it, vi } from 'vitest';
import { requireEngine } from '../../../test-support/docker-engine';
import { ensureTestImage, SEQUENTIAL_THINKING } from '../../../test-support/test-image';
import { serverSpecSchema } from '../../shared/servers';
import { createCore } from '../core/create-core';
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
      // exec mode: the MCP process runs in `docker exec` sessions, whose stderr the app shows;
      // the CLI shows it too (the server prints this line to stderr when a session starts).
      const logs = await cli('servers', 'logs', name);
      expect(logs.code).toBe(0);
      expect(logs.err).toContain('Sequential Thinking MCP Server running on stdio');
      expect((await cli('servers', 'logs', name, '--tail', '1')).err.split('\n')).toHaveLength(1);
      // --follow shows what new sessions say (the probe of a second start), until interrupted.
      const controller = new AbortController();
      const followed: string[] = [];
      const following = runCommand(
        'servers',
        ['logs', name, '--follow', '--tail', '0', '--data-dir', dataDir],
        {
          out: (l) => followed.push(l),
          err: (l) => followed.push(l),
          signal: controller.signal,
          env: { DOCKER_HOST: `unix://${engine!.socketPath}` },
        },
      );
      expect((await cli('servers', 'start', name)).code).toBe(0);
      await vi.waitFor(
        () => expect(followed.join('\n')).toContain('Sequential Thinking MCP Server running on stdio'),
        { timeout: 10_000 },
      );
      controller.abort();
      expect(await following).toBe(0);
      expect((await cli('servers', 'restart', name)).out).toMatch(/running/);
      expect((await cli('servers', 'stop', name)).out).toMatch(/exited/);
      expect((await cli('servers', 'remove', name)).out).toMatch(/Removed/);
      expect((await cli('servers', 'list')).out).not.toContain(name);
    },
    180_000,
  );
});

describe('the running app and the CLI on one data directory', async () => {
  const engine = await requireEngine();

  it.skipIf(!engine)(
    'a server the CLI removed is gone from the app, and the app refuses to start it',
    async () => {
      const docker = new Docker({ socketPath: engine!.socketPath });
      const image = await ensureTestImage(docker);
      const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-cli-'));
      const name = `gone-${randomBytes(3).toString('hex')}`;
      const core = await createCore({
        mode: 'headless',
        dataDir,
        dockerHost: `unix://${engine!.socketPath}`,
        http: { port: 0 },
      });
      try {
        await vi.waitFor(() => expect(core.engine.status().state).toBe('reachable'), { timeout: 10_000 });
        // The app has written servers.json without any user server before (one added and
        // deleted): the CLI's removal brings the file back to exactly that content.
        const spec = (n: string) => serverSpecSchema.parse({ name: n, image, command: SEQUENTIAL_THINKING });
        await core.api.servers.add({ spec: spec(`${name}-tmp`) });
        await core.api.servers.remove({ name: `${name}-tmp` });
        await core.api.servers.add({ spec: spec(name) });
        const io: CliIo = {
          out: () => undefined,
          err: () => undefined,
          signal: new AbortController().signal,
          env: { DOCKER_HOST: `unix://${engine!.socketPath}` },
        };
        const seen: string[][] = [];
        core.api.servers.onChanged((views) => seen.push(views.map((v) => v.spec.name)));
        expect(await runCommand('servers', ['remove', name, '--data-dir', dataDir], io)).toBe(0);
        // The file watcher tells the app, and the UI hears of it.
        await vi.waitFor(
          async () => {
            expect((await core.api.servers.list()).map((v) => v.spec.name)).not.toContain(name);
            expect(seen.at(-1)).not.toContain(name);
          },
          { timeout: 5000 },
        );

        // Without waiting for the watcher: an action on a server that is gone from disk is refused.
        await core.api.servers.add({ spec: spec(`${name}-2`) });
        expect(await runCommand('servers', ['remove', `${name}-2`, '--data-dir', dataDir], io)).toBe(0);
        await expect(core.api.servers.start({ name: `${name}-2` })).rejects.toMatchObject({
          code: 'SERVER_NOT_FOUND',
          message: expect.stringMatching(/no longer exists.*another process/),
        });
        const made = await docker.listContainers({
          all: true,
          filters: { label: [`io.mcp-dock.server=${name}-2`] },
        });
        expect(made).toEqual([]);
      } finally {
        await core.close();
      }
    },
    180_000,
  );
});

describe('mcp-dock servers add', () => {
  it('takes the user to run as and --tmp-exec, and refuses a malformed user naming the field', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-cli-'));
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      signal: new AbortController().signal,
      // No engine is needed to add a server.
      env: { DOCKER_HOST: `unix://${join(dataDir, 'no-engine.sock')}` },
    };
    const add = (name: string, ...flags: string[]) =>
      runCommand(
        'servers',
        ['add', name, '--image', 'img:1', ...flags, '--data-dir', dataDir, '--', 'srv'],
        io,
      );
    expect(await add('bad', '--user', 'a b')).toBe(2);
    expect(err.join('\n')).toMatch(/user: a user as uid\[:gid\]/);
    expect(await add('npxy', '--user', '1000:1000', '--tmp-exec', '--json')).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toMatchObject({
      spec: { name: 'npxy', user: '1000:1000', relax: { tmpExec: true } },
    });
    expect(await add('plain', '--json')).toBe(0);
    const plain = JSON.parse(out.at(-1)!) as { spec: { user?: string; relax: { tmpExec: boolean } } };
    expect(plain.spec.user).toBeUndefined();
    expect(plain.spec.relax.tmpExec).toBe(false);
  });
});

describe('mcp-dock servers without an engine', () => {
  const cliWithoutEngine = async (...argv: string[]) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-cli-'));
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      signal: new AbortController().signal,
      env: { DOCKER_HOST: `unix://${join(dataDir, 'no-engine.sock')}` },
    };
    const [command, ...rest] = argv;
    const code = await runCommand(command, [...rest, '--data-dir', dataDir], io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('says once what is wrong and what to do, and promises no reconnect it will not make', async () => {
    const started = await cliWithoutEngine('servers', 'start', 'sequential-thinking');
    expect(started.code).toBe(1);
    expect(started.err).toMatch(
      /^mcp-dock: The Docker engine is not reachable: no engine socket at \S+no-engine\.sock\./,
    );
    expect(started.err).toMatch(/point DOCKER_HOST at a running engine/);
    expect(started.err).not.toMatch(/reconnects by itself/);
    expect(started.err).not.toMatch(/Start it and try again/);
    expect(started.err.match(/Start /g)).toHaveLength(1);
  });

  it('lists the servers with their state unknown, and fails', async () => {
    const listed = await cliWithoutEngine('servers', 'list');
    expect(listed.code).toBe(1);
    expect(listed.out).toMatch(/^context7\tcatalog\texec\t.*\tunknown\t/m);
    expect(listed.out).not.toMatch(/\tabsent\t/);
    expect(listed.err).toMatch(/container states unknown: the Docker engine is not reachable/);
    const json = await cliWithoutEngine('servers', 'list', '--json');
    expect(json.code).toBe(1);
    const views = JSON.parse(json.out) as Array<{ container: { state: string } }>;
    expect(views.map((v) => v.container.state)).toEqual(views.map(() => 'unknown'));
  });
});
