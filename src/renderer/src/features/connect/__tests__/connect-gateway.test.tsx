import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serverSpecSchema, type ServerView } from '../../../../../shared/servers';
import { CLIENT_IDS, CLIENT_LABELS, type Snippet } from '../../../../../shared/snippets';
import { App } from '../../../app/App';
import { startSync } from '../../../app/start';
import { createPreloadStub, gatewaySnippetFixture } from '../../../common/mocks/preload-stub';
import { connectToDock } from '../../../lib/dock-client';
import { resetConnectionStore } from '../../connection';
import { resetEngineStore } from '../../engine';
import { resetGatewayStore } from '../../gateway';
import { resetServersStore } from '../../servers';
import { resetTokensStore } from '../../tokens';
import { DEFAULT_GATEWAY_FORM } from '../lib/gateway-form';

const RUNNING: ServerView = {
  spec: serverSpecSchema.parse({ name: 'every', image: 'img:1', command: ['srv', '--stdio'] }),
  source: 'user',
  containerName: 'mcp-dock-every',
  container: { state: 'running', adopted: false, id: 'c1' },
  health: { status: 'unknown' },
  secretsSet: [],
};

const SERVER_SNIPPET: Snippet = {
  client: 'cursor',
  server: 'every',
  entryName: 'every',
  format: 'json',
  text: '{ "mcpServers": { "every": { "command": "docker" } } }',
  launch: { command: 'docker', args: ['exec', '-i', 'mcp-dock-every', 'srv', '--stdio'] },
  configPath: '/home/me/.cursor/mcp.json',
};

let stop: (() => void) | undefined;
beforeEach(() => {
  resetEngineStore();
  resetConnectionStore();
  resetServersStore();
  resetTokensStore();
  resetGatewayStore();
  window.location.hash = '#connect';
});
afterEach(() => {
  stop?.();
  delete window.mcpDock;
  window.location.hash = '';
});

function mount() {
  const stub = createPreloadStub();
  window.mcpDock = stub.raw;
  const connection = connectToDock(window);
  stop = startSync(connection);
  render(<App />);
  return stub;
}

const section = () =>
  screen.getByRole('region', { name: 'MCP Dock gateway — one endpoint for every server' });
const radio = (name: 'URL' | 'stdio') => within(section()).getByRole('radio', { name }) as HTMLInputElement;
const shownText = () => within(section()).findByLabelText('Gateway snippet');

describe('Connect pane: the gateway entry', () => {
  it('asks for each client’s default form: the URL, or stdio for clients that cannot sign in with OAuth', async () => {
    const user = userEvent.setup();
    const stub = mount();
    expect(await within(section()).findByText(gatewaySnippetFixture('cursor', 'url').note)).toBeTruthy();
    for (const client of CLIENT_IDS) {
      await user.click(screen.getByRole('tab', { name: CLIENT_LABELS[client] }));
      const form = DEFAULT_GATEWAY_FORM[client];
      expect(stub.raw.gateway.snippet).toHaveBeenLastCalledWith({ client, form });
      await vi.waitFor(async () =>
        expect((await shownText()).textContent).toBe(gatewaySnippetFixture(client, form).text),
      );
      expect(radio(form === 'url' ? 'URL' : 'stdio').checked).toBe(true);
    }
    expect(DEFAULT_GATEWAY_FORM).toEqual({
      cursor: 'url',
      vscode: 'url',
      windsurf: 'url',
      'claude-code': 'url',
      'claude-desktop': 'stdio',
      zed: 'url',
      cline: 'url',
      'roo-code': 'stdio',
      continue: 'stdio',
      'gemini-cli': 'url',
      'codex-cli': 'url',
      goose: 'url',
      'lm-studio': 'stdio',
      opencode: 'url',
      jetbrains: 'stdio',
      kiro: 'url',
    });
  });

  it('switches to the other form and back', async () => {
    const user = userEvent.setup();
    const stub = mount();
    await shownText();
    await user.click(radio('stdio'));
    expect(stub.raw.gateway.snippet).toHaveBeenLastCalledWith({ client: 'cursor', form: 'stdio' });
    await vi.waitFor(async () =>
      expect((await shownText()).textContent).toBe(gatewaySnippetFixture('cursor', 'stdio').text),
    );
    expect(radio('stdio').checked).toBe(true);
    expect(within(section()).getByLabelText('How it signs in').textContent).toBe(
      gatewaySnippetFixture('cursor', 'stdio').note,
    );

    await user.click(screen.getByRole('tab', { name: 'Claude Desktop' }));
    await user.click(radio('URL'));
    expect(stub.raw.gateway.snippet).toHaveBeenLastCalledWith({ client: 'claude-desktop', form: 'url' });
    // Each client keeps the form picked for it.
    await user.click(screen.getByRole('tab', { name: 'Cursor' }));
    expect(stub.raw.gateway.snippet).toHaveBeenLastCalledWith({ client: 'cursor', form: 'stdio' });
  });

  it('shows where the entry goes and how the client signs in', async () => {
    const user = userEvent.setup();
    mount();
    await shownText();
    const cursor = gatewaySnippetFixture('cursor', 'url');
    expect(within(section()).getByLabelText('Config path').textContent).toBe(cursor.configPath);
    expect(within(section()).getByLabelText('How it signs in').textContent).toBe(cursor.note);
    await user.click(screen.getByRole('tab', { name: 'Claude Code' }));
    expect(await within(section()).findByText('Run this in a terminal:')).toBeTruthy();
    expect(within(section()).queryByLabelText('Config path')).toBeNull();
  });

  it('says where to paste for a client with no config file MCP Dock can edit', async () => {
    const user = userEvent.setup();
    const stub = createPreloadStub();
    const { configPath: _none, ...jetbrains } = gatewaySnippetFixture('jetbrains', 'stdio');
    stub.raw.gateway.snippet.mockResolvedValue({ ok: true, value: jetbrains } as never);
    window.mcpDock = stub.raw;
    stop = startSync(connectToDock(window));
    render(<App />);
    await user.click(screen.getByRole('tab', { name: 'JetBrains AI Assistant' }));
    expect(stub.raw.gateway.snippet).toHaveBeenLastCalledWith({ client: 'jetbrains', form: 'stdio' });
    expect((await within(section()).findByLabelText('Where to paste')).textContent).toBe(
      'Paste it in Settings | Tools | AI Assistant | Model Context Protocol (MCP), Add, then “As JSON”:',
    );
    expect(within(section()).queryByLabelText('Config path')).toBeNull();
  });

  it('copies the snippet’s text', async () => {
    const user = userEvent.setup();
    mount();
    await user.click(screen.getByRole('tab', { name: 'Claude Desktop' }));
    await vi.waitFor(async () =>
      expect((await shownText()).textContent).toBe(gatewaySnippetFixture('claude-desktop', 'stdio').text),
    );
    await user.click(within(section()).getByRole('button', { name: 'Copy gateway snippet' }));
    expect(await navigator.clipboard.readText()).toBe(gatewaySnippetFixture('claude-desktop', 'stdio').text);
    expect(within(section()).getByRole('status').textContent).toBe('Copied');
  });

  it('reports a snippet core cannot make', async () => {
    const stub = createPreloadStub();
    stub.raw.gateway.snippet.mockResolvedValue({
      ok: false,
      error: { code: 'CLIENT_UNSUPPORTED', message: 'windsurf has no stdio form' },
    });
    window.mcpDock = stub.raw;
    const connection = connectToDock(window);
    stop = startSync(connection);
    render(<App />);
    expect((await within(section()).findByRole('alert')).textContent).toBe('Windsurf has no stdio form.');
    expect(within(section()).queryByRole('button', { name: 'Copy gateway snippet' })).toBeNull();
  });

  it('offers each profile’s endpoint, and adds that entry to the client’s config', async () => {
    const user = userEvent.setup();
    const stub = mount();
    const path = '/home/me/.cursor/mcp.json';
    stub.raw.clientConfigs.has.mockImplementation(
      async () => ({ ok: true, value: { path, present: false } }) as never,
    );
    stub.raw.clientConfigs.add.mockImplementation(
      async () => ({ ok: true, value: { path, changed: true } }) as never,
    );
    await act(() =>
      stub.raw.profiles.add({ name: 'review', servers: [], tools: [], ownTools: true, search: true }),
    );
    await within(section()).findByText(gatewaySnippetFixture('cursor', 'url').note);
    await user.selectOptions(within(section()).getByRole('combobox', { name: 'Endpoint' }), 'review');
    expect(stub.raw.gateway.snippet).toHaveBeenLastCalledWith({
      client: 'cursor',
      form: 'url',
      profile: 'review',
    });
    await vi.waitFor(async () =>
      expect((await shownText()).textContent).toBe(gatewaySnippetFixture('cursor', 'url', 'review').text),
    );
    expect(within(section()).getByText(/the servers and tools of the profile review/)).toBeTruthy();
    await user.click(await within(section()).findByRole('button', { name: 'Add to Cursor' }));
    expect(stub.raw.clientConfigs.add).toHaveBeenLastCalledWith({
      client: 'cursor',
      gateway: { form: 'url', profile: 'review' },
    });
    expect(await within(section()).findByText(/Added to \/home\/me\/.cursor\/mcp.json/)).toBeTruthy();
    // Back to every server.
    await user.selectOptions(within(section()).getByRole('combobox', { name: 'Endpoint' }), '');
    expect(stub.raw.gateway.snippet).toHaveBeenLastCalledWith({ client: 'cursor', form: 'url' });
  });

  it('keeps the per-server snippets below, with their own copy button', async () => {
    const user = userEvent.setup();
    const stub = mount();
    stub.raw.snippets.get.mockResolvedValue({ ok: true, value: SERVER_SNIPPET } as never);
    expect(await screen.findByRole('heading', { name: 'No running servers' })).toBeTruthy();
    act(() => stub.pushServers([RUNNING]));
    const perServer = await screen.findByRole('region', { name: 'Cursor snippet' });
    expect(stub.raw.snippets.get).toHaveBeenCalledWith({ client: 'cursor', server: 'every' });
    expect(within(perServer).getByText(SERVER_SNIPPET.text)).toBeTruthy();
    // The gateway comes first in the pane.
    expect(section().compareDocumentPosition(perServer) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    await user.click(within(perServer).getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe(SERVER_SNIPPET.text);
  });
});

describe('Connect pane: the client tabs', () => {
  const tabs = () => screen.getAllByRole('tab');
  const selected = () => screen.getByRole('tab', { selected: true });

  it('follow the WAI-ARIA tabs pattern: one tab stop, arrows, Home and End', async () => {
    const user = userEvent.setup();
    const stub = mount();
    const list = screen.getByRole('tablist', { name: 'Client' });
    expect(tabs().map((t) => t.textContent)).toEqual(CLIENT_IDS.map((id) => CLIENT_LABELS[id]));
    // Only the selected tab is in the tab order; the panel it controls is labelled by it.
    const stops = (at: number) => CLIENT_IDS.map((_, i) => (i === at ? 0 : -1));
    expect(tabs().map((t) => t.tabIndex)).toEqual(stops(0));
    const panel = screen.getByRole('tabpanel');
    expect(selected().getAttribute('aria-controls')).toBe(panel.id);
    expect(panel.getAttribute('aria-labelledby')).toBe(selected().id);

    act(() => screen.getByRole('tab', { name: 'Cursor' }).focus());
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Claude Desktop' }));
    expect(selected().textContent).toBe('Claude Desktop');
    expect(tabs().map((t) => t.tabIndex)).toEqual(stops(1));
    expect(stub.raw.gateway.snippet).toHaveBeenLastCalledWith({ client: 'claude-desktop', form: 'stdio' });
    await user.keyboard('{End}');
    expect(selected().textContent).toBe('Kiro');
    expect(document.activeElement).toBe(selected());
    await user.keyboard('{ArrowRight}');
    expect(selected().textContent).toBe('Cursor');
    await user.keyboard('{ArrowLeft}');
    expect(selected().textContent).toBe('Kiro');
    await user.keyboard('{Home}');
    expect(selected().textContent).toBe('Cursor');
    expect(document.activeElement).toBe(selected());
    expect(list.contains(document.activeElement)).toBe(true);
    // Tab leaves the tab list for the panel's content instead of walking the other tabs.
    await user.tab();
    expect(list.contains(document.activeElement)).toBe(false);
    expect(screen.getByRole('tabpanel').contains(document.activeElement)).toBe(true);
  });
});
