import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { stubEngine } from '../../../../test-support/stub-engine';
import type { ServerView } from '../../../shared/servers';
import type { ContainerFacts } from '../docker/inspect-container';
import { labelsFor } from '../docker/labels';
import { fileKeyProvider } from '../secrets/key-provider';
import { openSecretStore } from '../secrets/secret-store';
import { ContainerOwnership } from './container-ownership';
import { openPlacements } from './placements';
import { openServerRegistry } from './server-registry';
import { ServerState } from './server-state';

async function setup(engineUp = true) {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-state-'));
  const registry = await openServerRegistry(dir, []);
  const placements = await openPlacements(dir);
  const secrets = await openSecretStore(dir, fileKeyProvider(dir));
  const stub = stubEngine(engineUp ? ({} as Docker) : undefined);
  const ownership = new ContainerOwnership(placements, 'inst');
  const { spec } = await registry.add({ name: 'srv', image: 'img', command: ['x'], secrets: ['KEY'] });
  const state = new ServerState({ registry, engine: stub.engine, secrets, ownership });
  return { state, stub, spec, secrets, placements };
}

const running = (labels: Record<string, string>): ContainerFacts => ({
  id: 'c1',
  name: 'mcp-dock-srv',
  state: 'running',
  labels,
  image: 'img',
  startedAt: '2024-01-01T00:00:00Z',
  restartCount: 0,
});

describe('server state', () => {
  it('says "unknown" without an engine, "absent" with one and no container, and what it last saw', async () => {
    const { state, stub, spec } = await setup(false);
    expect(state.view('srv')).toMatchObject({
      containerName: 'mcp-dock-srv',
      container: { state: 'unknown', adopted: false },
      health: { status: 'unknown' },
      secretsSet: [],
    });
    stub.set({} as Docker);
    expect(state.view('srv').container.state).toBe('absent');
    state.setFacts('srv', running(labelsFor(spec, 'inst')));
    expect(state.view('srv').container).toEqual({
      state: 'running',
      id: 'c1',
      adopted: false,
      image: 'img',
      startedAt: '2024-01-01T00:00:00Z',
    });
    expect(state.runningId('srv')).toBe('c1');
    // The engine gone, the last facts may be stale: not shown.
    stub.set(undefined);
    expect(state.view('srv').container.state).toBe('unknown');
  });

  it('marks an adopted container, the operation under way and the secrets set', async () => {
    const { state, placements, secrets } = await setup();
    await placements.set('srv', { containerName: 'mcp-dock-srv', adopted: true });
    await secrets.set('srv', 'KEY', 'v');
    state.setFacts('srv', running({}));
    state.setBusy('srv', 'starting');
    expect(state.view('srv')).toMatchObject({
      container: { adopted: true },
      busy: 'starting',
      secretsSet: ['KEY'],
    });
    state.setBusy('srv', undefined);
    expect(state.view('srv').busy).toBeUndefined();
  });

  it('announces views to its listeners until closed, and forgets a removed server', async () => {
    const { state } = await setup();
    const seen: ServerView[][] = [];
    const stop = state.onChanged((views) => seen.push(views));
    state.setHealth('srv', { status: 'probing' });
    state.emit();
    expect(seen.at(-1)?.[0]?.health).toEqual({ status: 'probing' });
    state.forget('srv');
    expect(state.health('srv')).toBeUndefined();
    stop();
    state.emit();
    expect(seen).toHaveLength(1);
    state.onChanged((views) => seen.push(views));
    state.close();
    state.emit();
    expect(seen).toHaveLength(1);
  });
});
