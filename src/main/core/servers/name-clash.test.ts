import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { describe, expect, it, vi } from 'vitest';
import { serverSpecSchema } from '../../../shared/servers';
import { labelsFor } from '../docker/labels';
import { ContainerOwnership } from './container-ownership';
import { resolveClash } from './name-clash';
import { openPlacements } from './placements';

const spec = serverSpecSchema.parse({ name: 'srv', image: 'img', command: ['x'] });

// An engine holding containers by name; inspect answers 404 for the others, as Docker does.
async function setup(names: Record<string, Record<string, string>>) {
  const placements = await openPlacements(await mkdtemp(join(tmpdir(), 'mcp-dock-clash-')));
  const removed: string[] = [];
  const docker = {
    getContainer: (name: string) => ({
      inspect: async () => {
        const labels = names[name];
        if (!labels) throw Object.assign(new Error('no such container'), { statusCode: 404 });
        return {
          Id: `id-${name}`,
          Name: `/${name}`,
          State: { Status: 'created', Running: false, ExitCode: 0 },
          Config: { Labels: labels, Image: 'img' },
          RestartCount: 0,
        };
      },
      remove: vi.fn(async () => {
        removed.push(name);
      }),
    }),
  } as unknown as Docker;
  const deps = { placements, ownership: new ContainerOwnership(placements, 'me') };
  return { deps, docker, placements, removed };
}

describe('name clash', () => {
  it('passes through nothing there and our own container', async () => {
    const empty = await setup({});
    expect(await resolveClash(empty.deps, empty.docker, spec, undefined)).toEqual({
      containerName: 'mcp-dock-srv',
      info: undefined,
    });
    const ours = await setup({ 'mcp-dock-srv': labelsFor(spec, 'me') });
    expect((await resolveClash(ours.deps, ours.docker, spec, undefined)).info?.id).toBe('id-mcp-dock-srv');
  });

  it('makes someone else’s container the error unless the user chose', async () => {
    const { deps, docker, removed } = await setup({ 'mcp-dock-srv': {} });
    await expect(resolveClash(deps, docker, spec, undefined)).rejects.toMatchObject({ code: 'NAME_CLASH' });
    expect(removed).toEqual([]);
  });

  it('adopts, replaces, or renames to the first free name, remembering the placement', async () => {
    const adopt = await setup({ 'mcp-dock-srv': {} });
    expect((await resolveClash(adopt.deps, adopt.docker, spec, 'adopt')).info?.id).toBe('id-mcp-dock-srv');
    expect(adopt.placements.get('srv')).toEqual({ containerName: 'mcp-dock-srv', adopted: true });

    const replace = await setup({ 'mcp-dock-srv': {} });
    expect(await resolveClash(replace.deps, replace.docker, spec, 'replace')).toEqual({
      containerName: 'mcp-dock-srv',
      info: undefined,
    });
    expect(replace.removed).toEqual(['id-mcp-dock-srv']);

    const rename = await setup({ 'mcp-dock-srv': {}, 'mcp-dock-srv-2': {} });
    expect(await resolveClash(rename.deps, rename.docker, spec, 'rename')).toEqual({
      containerName: 'mcp-dock-srv-3',
      info: undefined,
    });
    expect(rename.placements.get('srv')).toEqual({ containerName: 'mcp-dock-srv-3', adopted: false });
  });
});
