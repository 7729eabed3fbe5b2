import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../app/App';
import { startSync } from '../../../app/start';
import { createPreloadStub } from '../../../common/mocks/preload-stub';
import { connectToDock } from '../../../lib/dock-client';
import { resetConnectionStore } from '../../connection';
import { resetEngineStore } from '../../engine';
import { resetServersStore } from '../../servers';
import { resetTokensStore } from '../lib/tokens-store';

let stop: (() => void) | undefined;
beforeEach(() => {
  resetEngineStore();
  resetConnectionStore();
  resetServersStore();
  resetTokensStore();
  window.location.hash = '#tokens';
});
afterEach(() => {
  stop?.();
  delete window.mcpDock;
  window.location.hash = '';
});

const stdioClient = {
  client_id: 'mcp-dock-gateway-stdio',
  kind: 'confidential',
  grant_types: ['client_credentials'],
  scope: 'mcp.access mcp:servers',
  redirect_uris: [],
};

function mount(extraClients: object[] = []) {
  const stub = createPreloadStub();
  stub.raw.oauth.clients.mockResolvedValue({
    ok: true,
    value: [
      ...extraClients,
      {
        client_id: 'mcp-client',
        kind: 'confidential',
        grant_types: ['client_credentials'],
        scope: 'mcp.access',
        redirect_uris: [],
      },
    ],
  } as never);
  window.mcpDock = stub.raw;
  const connection = connectToDock(window);
  stop = startSync(connection);
  render(<App />);
  return stub;
}

describe('Clients & Tokens pane', () => {
  it('lists clients and revokes one', async () => {
    const stub = mount();
    const table = await screen.findByRole('table', { name: 'OAuth clients' });
    expect(await within(table).findByText('mcp-client')).toBeTruthy();
    await userEvent.click(within(table).getByRole('button', { name: 'Revoke' }));
    expect(stub.raw.oauth.revokeClient).toHaveBeenCalledWith({ clientId: 'mcp-client' });
  });

  it('marks the gateway’s own stdio client and revokes it only after saying what breaks', async () => {
    const stub = mount([stdioClient]);
    const table = await screen.findByRole('table', { name: 'OAuth clients' });
    const row = (await within(table).findByText('MCP Dock gateway (stdio)')).closest('tr')!;
    expect(within(row).getByText('internal')).toBeTruthy();
    expect(within(row).getByText('mcp-dock-gateway-stdio')).toBeTruthy();
    await userEvent.click(within(row).getByRole('button', { name: 'Revoke' }));
    expect(stub.raw.oauth.revokeClient).not.toHaveBeenCalled();
    const warning = await screen.findByRole('alertdialog', { name: 'Revoke MCP Dock gateway (stdio)?' });
    expect(warning.textContent).toMatch(/gateway --stdio .*loses access at once/);
    await userEvent.click(within(warning).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(stub.raw.oauth.revokeClient).not.toHaveBeenCalled();
    await userEvent.click(within(row).getByRole('button', { name: 'Revoke' }));
    await userEvent.click(
      within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Revoke anyway' }),
    );
    expect(stub.raw.oauth.revokeClient).toHaveBeenCalledWith({ clientId: 'mcp-dock-gateway-stdio' });
  });

  it('never offers the internal stdio client for a test token', async () => {
    const stub = mount([stdioClient]);
    const select = (await screen.findByLabelText('Test token client')) as HTMLSelectElement;
    await within(select).findByRole('option', { name: 'mcp-client' });
    expect([...select.options].map((o) => o.value)).toEqual(['mcp-client']);
    expect(select.value).toBe('mcp-client');
    await userEvent.click(screen.getByRole('button', { name: 'Create token' }));
    expect(stub.raw.oauth.createTestToken).toHaveBeenCalledWith(
      expect.objectContaining({ clientId: 'mcp-client' }),
    );
  });

  it('shows a new client’s secret once', async () => {
    const stub = mount();
    stub.raw.oauth.createClient.mockResolvedValueOnce({
      ok: true,
      value: { client_id: 'ci-bot', client_secret: 'shown-once-secret-value' },
    } as never);
    await userEvent.type(await screen.findByLabelText('New client name'), 'ci-bot');
    await userEvent.click(screen.getByRole('button', { name: 'Create confidential client' }));
    expect((await screen.findByLabelText('New client secret')).textContent).toBe('shown-once-secret-value');
    await userEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('shown-once-secret-value')).toBeNull();
  });

  it('inspects a pasted token and says why it is not valid', async () => {
    const stub = mount();
    stub.raw.oauth.inspectToken.mockResolvedValueOnce({
      ok: true,
      value: {
        header: { alg: 'ES256' },
        claims: { sub: 'x' },
        expiresAt: Math.floor(Date.now() / 1000) - 10,
        valid: false,
        reason: 'it has expired',
      },
    } as never);
    await userEvent.type(await screen.findByLabelText('JWT to inspect'), 'a.b.c');
    await userEvent.click(screen.getByRole('button', { name: 'Inspect' }));
    expect((await screen.findByText(/Not valid here: it has expired/)).textContent).toContain('expired');
    expect(screen.getByLabelText('Claims').textContent).toContain('"sub": "x"');
  });

  it('rotates the signing key', async () => {
    const stub = mount();
    expect(await screen.findByText('k1')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Rotate signing key' }));
    expect(stub.raw.oauth.rotateSigningKey).toHaveBeenCalled();
    expect(await screen.findByText('k2')).toBeTruthy();
  });
});
