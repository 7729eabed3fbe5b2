import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../app/App';
import { startSync } from '../../../app/start';
import { createPreloadStub, REACHABLE, UNREACHABLE } from '../../../common/mocks/preload-stub';
import { connectToDock, type DockConnection } from '../../../lib/dock-client';
import type { ConnectionState } from '../../../lib/ws-transport';
import { resetConnectionStore } from '../../connection';
import { resetEngineStore } from '../lib/engine-store';

let stop: (() => void) | undefined;

function mount(stub: ReturnType<typeof createPreloadStub>) {
  window.mcpDock = stub.raw;
  const connection = connectToDock(window);
  stop = startSync(connection);
  return render(<App />);
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

  it('stops showing the engine as reachable when the bridge to MCP Dock drops, and recovers', async () => {
    // Headless mode: the page talks to `mcp-dock serve` over a WebSocket that can drop.
    const stub = createPreloadStub(REACHABLE);
    window.mcpDock = stub.raw;
    const base = connectToDock(window);
    let state: ConnectionState = 'open';
    const listeners = new Set<(s: ConnectionState) => void>();
    const connection: DockConnection = {
      api: base.api,
      state: () => state,
      onStateChange: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const drop = (next: ConnectionState) => {
      state = next;
      listeners.forEach((l) => l(next));
    };
    stop = startSync(connection);
    render(<App />);
    const status = screen.getByRole('status', { name: 'Docker engine status' });
    await waitFor(() => expect(status.getAttribute('data-state')).toBe('reachable'));

    act(() => drop('reconnecting'));
    expect(status.getAttribute('data-state')).toBe('disconnected');
    expect(status.textContent).toBe('Not connected to MCP Dock · engine status unknown');
    expect(status.querySelector('.dot-reachable')).toBeNull();
    expect(screen.getByText(/MCP Dock 0\.1\.0 · desktop · not connected/)).toBeTruthy();

    act(() => drop('open'));
    await waitFor(() => expect(status.getAttribute('data-state')).toBe('reachable'));
    expect(status.textContent).toContain('Docker Engine 28.2.2 · reachable');
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
