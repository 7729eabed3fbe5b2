import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { servers } from './commands/servers';

const run = async (argv: string[]) => {
  const lines: string[] = [];
  const code = await servers(argv, {
    out: (l) => lines.push(l),
    err: () => undefined,
    signal: new AbortController().signal,
    // No engine: adding a server needs none.
    env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
  });
  return { code, out: lines.join('\n') };
};

describe('mcp-dock servers add --egress', () => {
  it('puts the server on the allow-listed network with its hosts, and lists them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-egress-cli-'));
    const added = await run([
      'add',
      'c7',
      '--image',
      'node:24-slim',
      '--egress',
      'Context7.com',
      '--egress',
      '*.npmjs.org:443',
      '--data-dir',
      dir,
      '--json',
      '--',
      'npx',
      '-y',
      '@upstash/context7-mcp',
    ]);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.out).spec).toMatchObject({
      network: 'egress',
      egress: ['context7.com', '*.npmjs.org:443'],
    });
    const file = JSON.parse(await readFile(join(dir, 'servers.json'), 'utf8')) as {
      servers: { egress: string[] }[];
    };
    expect(file.servers[0]!.egress).toEqual(['context7.com', '*.npmjs.org:443']);
    const listed = await run(['list', '--json', '--data-dir', dir]);
    const view = (JSON.parse(listed.out) as { spec: { name: string; egress: string[] } }[]).find(
      (v) => v.spec.name === 'c7',
    );
    expect(view!.spec.egress).toEqual(['context7.com', '*.npmjs.org:443']);
  });

  it('refuses a bad host, and an allow-list with an open network', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-egress-cli-'));
    await expect(
      run(['add', 'x', '--image', 'i', '--egress', 'not a host', '--data-dir', dir, '--', 'cmd']),
    ).rejects.toThrow(/egress\.0: a host as name, name:port, \*\.suffix or \*\.suffix:port/);
    await expect(
      run(['add', 'x', '--image', 'i', '--egress', 'a.com:99999', '--data-dir', dir, '--', 'cmd']),
    ).rejects.toThrow(/a port from 1 to 65535/);
    await expect(
      run([
        'add',
        'x',
        '--image',
        'i',
        '--network',
        'bridge',
        '--egress',
        'a.com',
        '--data-dir',
        dir,
        '--',
        'cmd',
      ]),
    ).rejects.toThrow(/an egress allow-list needs network "egress" \(network is "bridge"\)/);
  });
});
