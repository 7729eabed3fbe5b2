import { describe, expect, it, vi } from 'vitest';
import type { ServerView } from '../../../shared/servers';
import type { SecretStore } from '../secrets/secret-store';
import type { ContainerManager } from './container-manager';
import type { ServerRegistry } from './server-registry';
import { createServersApi } from './servers-api';

// The lifecycle itself is tested against a real engine (containers.docker.test.ts); here, only
// what the contract's start and restart hand the container manager.
function apiOver() {
  const view = { spec: { name: 'mine' } } as ServerView;
  const manager = {
    start: vi.fn(async () => view),
    restart: vi.fn(async () => view),
  };
  const api = createServersApi(
    {} as ServerRegistry,
    {} as SecretStore,
    manager as unknown as ContainerManager,
  );
  return { api, manager, view };
}

describe('createServersApi', () => {
  it('starts without waiting for the probe unless asked (the panel shows the probe as it goes)', async () => {
    const { api, manager, view } = apiOver();
    expect(await api.start({ name: 'mine' })).toBe(view);
    expect(manager.start).toHaveBeenLastCalledWith('mine', { onClash: undefined, waitForProbe: false });
    await api.start({ name: 'mine', onClash: 'rename', waitForProbe: true });
    expect(manager.start).toHaveBeenLastCalledWith('mine', { onClash: 'rename', waitForProbe: true });
  });

  it('restarts with the same choices as start', async () => {
    const { api, manager } = apiOver();
    await api.restart({ name: 'mine' });
    expect(manager.restart).toHaveBeenLastCalledWith('mine', { onClash: undefined, waitForProbe: false });
    await api.restart({ name: 'mine', onClash: 'replace', waitForProbe: true });
    expect(manager.restart).toHaveBeenLastCalledWith('mine', { onClash: 'replace', waitForProbe: true });
  });
});
