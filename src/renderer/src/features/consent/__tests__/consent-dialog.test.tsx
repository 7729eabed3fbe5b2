import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../app/App';
import { startSync } from '../../../app/start';
import { createPreloadStub } from '../../../common/mocks/preload-stub';
import { connectToDock } from '../../../lib/dock-client';
import { resetConnectionStore } from '../../connection';
import { resetEngineStore } from '../../engine';
import { resetServersStore } from '../../servers';
import { resetConsentStore } from '../lib/consent-store';

let stop: (() => void) | undefined;
beforeEach(() => {
  resetEngineStore();
  resetConnectionStore();
  resetServersStore();
  resetConsentStore();
});
afterEach(() => {
  stop?.();
  delete window.mcpDock;
});

const request = {
  uid: 'abc',
  clientId: 'c-1',
  clientName: 'Cursor',
  redirectUri: 'http://127.0.0.1:5555/cb',
  redirectHost: '127.0.0.1:5555',
  scopes: ['mcp.access', 'offline_access'],
  resources: ['http://127.0.0.1:8081/mcp'],
  clientKind: 'registered',
  registeredAt: '2026-11-22T00:00:00.000Z',
  requestedAt: '2026-11-22T00:00:00.000Z',
  expiresAt: '2026-11-22T00:10:00.000Z',
  repeats: 1,
};

describe('consent dialog', () => {
  it('shows a pending authorization request and sends Allow', async () => {
    const stub = createPreloadStub();
    window.mcpDock = stub.raw;
    const connection = connectToDock(window);
    stop = startSync(connection);
    render(<App />);
    expect(screen.queryByRole('dialog')).toBeNull();
    act(() => stub.pushConsents([request]));
    const dialog = await screen.findByRole('dialog', { name: 'Allow Cursor to use MCP Dock?' });
    expect(dialog.textContent).toMatch(/mcp\.access, offline_access[\s\S]*http:\/\/127\.0\.0\.1:5555\/cb/);
    await userEvent.click(screen.getByRole('button', { name: 'Allow' }));
    expect(stub.raw.oauth.decideConsent).toHaveBeenCalledWith({ uid: 'abc', decision: 'allow' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('says the client registered itself just now, where the answer goes, and how often it asked', async () => {
    const stub = createPreloadStub();
    window.mcpDock = stub.raw;
    const connection = connectToDock(window);
    stop = startSync(connection);
    render(<App />);
    const fresh = { ...request, registeredAt: new Date().toISOString(), repeats: 300 };
    act(() => stub.pushConsents([fresh, { ...request, uid: 'def', clientId: 'c-2' }]));
    const dialog = await screen.findByRole('dialog', { name: 'Allow Cursor to use MCP Dock?' });
    expect(dialog.textContent).toContain('This client registered itself just now');
    expect(dialog.textContent).toContain('The answer goes to 127.0.0.1:5555');
    expect(dialog.textContent).toContain('Asked 300 times while waiting; one answer covers all.');
    expect(dialog.textContent).toContain('1 more waiting after this one.');
  });
});
