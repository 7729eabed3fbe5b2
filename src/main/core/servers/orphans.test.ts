import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { describe, expect, it, vi } from 'vitest';
import { stubEngine } from '../../../../test-support/stub-engine';
import { ContainerOwnership } from './container-ownership';
import { Orphans } from './orphans';
import { openPlacements } from './placements';
import { openServerRegistry } from './server-registry';

const container = (name: string, state: string, labels: Record<string, string>) => ({
  Id: `id-${name}`,
  Names: [`/${name}`],
  State: state,
  Labels: { 'io.mcp-dock.managed': 'true', ...labels },
});

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-orphans-'));
  const registry = await openServerRegistry(dir, []);
  await registry.add({ name: 'kept', image: 'img', command: ['x'] });
  const listed = [
    container('mcp-dock-kept', 'running', { 'io.mcp-dock.server': 'kept', 'io.mcp-dock.instance': 'me' }),
    container('mcp-dock-gone', 'exited', { 'io.mcp-dock.server': 'gone', 'io.mcp-dock.instance': 'me' }),
    container('mcp-dock-busy', 'running', { 'io.mcp-dock.server': 'busy', 'io.mcp-dock.instance': 'me' }),
    container('session', 'running', {
      'io.mcp-dock.server': 'kept',
      'io.mcp-dock.instance': 'me',
      'io.mcp-dock.mode': 'run',
    }),
    container('old', 'exited', { 'io.mcp-dock.server': 'old' }),
    container('theirs', 'exited', { 'io.mcp-dock.server': 'x', 'io.mcp-dock.instance': 'other' }),
  ];
  const remove = vi.fn(async () => undefined);
  const docker = {
    listContainers: vi.fn(async () => listed),
    getContainer: vi.fn(() => ({ remove })),
  } as unknown as Partial<Docker>;
  const orphans = new Orphans({
    engine: stubEngine(docker).engine,
    registry,
    ownership: new ContainerOwnership(await openPlacements(dir), 'me'),
  });
  return { orphans, remove, docker };
}

describe('orphans', () => {
  it('lists this instance’s left-overs and unlabelled ones, never a server’s own or a live session', async () => {
    const { orphans } = await setup();
    expect(await orphans.list()).toEqual([
      {
        id: 'id-mcp-dock-gone',
        name: 'mcp-dock-gone',
        server: 'gone',
        state: 'exited',
        owner: 'this',
        safeToRemove: true,
      },
      {
        id: 'id-mcp-dock-busy',
        name: 'mcp-dock-busy',
        server: 'busy',
        state: 'running',
        owner: 'this',
        safeToRemove: false,
      },
      { id: 'id-old', name: 'old', server: 'old', state: 'exited', owner: 'unknown', safeToRemove: false },
    ]);
  });

  it('removes a stopped one without force, and refuses a running one or one not an orphan', async () => {
    const { orphans, remove } = await setup();
    await orphans.remove('mcp-dock-gone');
    expect(remove).toHaveBeenCalledWith();
    await expect(orphans.remove('mcp-dock-busy')).rejects.toMatchObject({
      code: 'CONTAINER_FAILED',
      message: expect.stringContaining('does not remove a running container'),
    });
    await expect(orphans.remove('mcp-dock-kept')).rejects.toMatchObject({
      code: 'CONTAINER_FAILED',
      message: expect.stringContaining('is not a left-over container'),
    });
    expect(remove).toHaveBeenCalledOnce();
  });
});
