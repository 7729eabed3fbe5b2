import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../app/App';
import { startSync } from '../../../app/start';
import { createPreloadStub, REACHABLE, UNREACHABLE } from '../../../common/mocks/preload-stub';
import { connectToDock } from '../../../lib/dock-client';
import { resetConnectionStore } from '../../connection';
import { resetEngineStore } from '../lib/engine-store';

let stop: (() => void) | undefined;

function mount(stub: ReturnType<typeof createPreloadStub>) {
  window.mcpDock = stub.raw;
  const connection = connectToDock(window);
  stop = startSync(connection);
  return render(<App api={connection.api} />);
}

beforeEach(() => {
  resetEngineStore();
  resetConnectionStore();
});
afterEach(() => {
  stop?.();
  delete window.mcpDock;
});

describe('engine status in the UI', () => {
  it('shows the engine version in the status bar and an empty Containers pane', async () => {
    mount(createPreloadStub(REACHABLE));
    const status = screen.getByRole('status', { name: 'Docker engine status' });
    await waitFor(() =>
      expect(status).toHaveProperty(
        'textContent',
        expect.stringContaining('Docker Engine 28.2.2 · reachable'),
      ),
    );
    expect(screen.getByRole('button', { name: 'Add server' })).toBeTruthy();
    expect(await screen.findByText('MCP Dock 0.1.0 · desktop')).toBeTruthy();
  });

  it('says what to do when no engine is reachable, and re-checks on request', async () => {
    const stub = createPreloadStub(UNREACHABLE);
    mount(stub);
    expect(await screen.findByRole('heading', { name: 'No Docker engine reachable' })).toBeTruthy();
    expect(screen.getByText('nothing is listening at /var/run/docker.sock.')).toBeTruthy();
    expect(screen.getByText('Start Docker Desktop.')).toBeTruthy();
    stub.set(REACHABLE);
    await userEvent.click(screen.getByRole('button', { name: 'Check again now' }));
    expect(stub.raw.engine.recheck).toHaveBeenCalledTimes(1);
    expect(await screen.findByRole('button', { name: 'Add server' })).toBeTruthy();
  });

  it('follows pushed status changes without a reload', async () => {
    const stub = createPreloadStub(REACHABLE);
    mount(stub);
    await screen.findByRole('button', { name: 'Add server' });
    act(() => stub.push(UNREACHABLE));
    expect(await screen.findByRole('heading', { name: 'No Docker engine reachable' })).toBeTruthy();
    expect(screen.getByRole('status', { name: 'Docker engine status' }).textContent).toContain('unreachable');
    act(() => stub.push(REACHABLE));
    expect(await screen.findByRole('button', { name: 'Add server' })).toBeTruthy();
  });

  it('drops malformed pushes instead of breaking the page', async () => {
    const stub = createPreloadStub(REACHABLE);
    mount(stub);
    await screen.findByRole('button', { name: 'Add server' });
    act(() => stub.push({ state: 'exploded' } as never));
    expect(screen.getByRole('button', { name: 'Add server' })).toBeTruthy();
  });

  it('unsubscribes when stopped', () => {
    const stub = createPreloadStub(REACHABLE);
    mount(stub);
    expect(stub.listenerCount()).toBe(1);
    stop?.();
    stop = undefined;
    expect(stub.listenerCount()).toBe(0);
  });
});
