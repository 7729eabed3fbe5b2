import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverSpecSchema } from '../../../shared/servers';
import type { ContainerFacts } from '../docker/inspect-container';
import { labelsFor } from '../docker/labels';
import { ContainerOwnership } from './container-ownership';
import { openPlacements } from './placements';

const spec = serverSpecSchema.parse({ name: 'srv', image: 'img', command: ['x'] });
const at = (name: string, labels: Record<string, string>): ContainerFacts => ({
  id: `id-${name}`,
  name,
  state: 'running',
  labels,
  image: 'img',
  restartCount: 0,
});

async function ownership() {
  const placements = await openPlacements(await mkdtemp(join(tmpdir(), 'mcp-dock-own-')));
  return { placements, ownership: new ContainerOwnership(placements, 'this-instance') };
}

describe('container ownership', () => {
  it('calls ours what this instance made for this server, and what predates the instance label', async () => {
    const { ownership: o } = await ownership();
    expect(o.of(spec, at('mcp-dock-srv', labelsFor(spec, 'this-instance')))).toBe('ours');
    const { 'io.mcp-dock.instance': _instance, ...unlabelled } = labelsFor(spec, 'x');
    expect(o.of(spec, at('mcp-dock-srv', unlabelled))).toBe('ours');
  });

  it('calls foreign another instance’s container, another server’s, and one not MCP Dock’s', async () => {
    const { ownership: o } = await ownership();
    expect(o.of(spec, at('mcp-dock-srv', labelsFor(spec, 'other-instance')))).toBe('foreign');
    expect(
      o.of(spec, at('mcp-dock-srv', { ...labelsFor(spec, 'this-instance'), 'io.mcp-dock.server': 'b' })),
    ).toBe('foreign');
    expect(o.of(spec, at('mcp-dock-srv', {}))).toBe('foreign');
  });

  it('follows the placement: a renamed container’s name, an adopted container at its name only', async () => {
    const { ownership: o, placements } = await ownership();
    expect(o.containerName(spec)).toBe('mcp-dock-srv');
    await placements.set('srv', { containerName: 'mcp-dock-srv-2', adopted: false });
    expect(o.containerName(spec)).toBe('mcp-dock-srv-2');
    await placements.set('srv', { containerName: 'users-own', adopted: true });
    expect(o.of(spec, at('users-own', {}))).toBe('adopted');
    expect(o.of(spec, at('someone-else', {}))).toBe('foreign');
  });
});
