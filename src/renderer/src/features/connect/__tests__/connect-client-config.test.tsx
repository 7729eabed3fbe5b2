import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverSpecSchema, type ServerView } from '../../../../../shared/servers';
import type { Snippet } from '../../../../../shared/snippets';
import { App } from '../../../app/App';
import { startSync } from '../../../app/start';
import { createPreloadStub } from '../../../common/mocks/preload-stub';
import { connectToDock } from '../../../lib/dock-client';
import { resetConnectionStore } from '../../connection';
import { resetEngineStore } from '../../engine';
import { resetGatewayStore } from '../../gateway';
import { resetServersStore } from '../../servers';
import { resetTokensStore } from '../../tokens';

const RUNNING: ServerView = {
  spec: serverSpecSchema.parse({ name: 'every', image: 'img:1', command: ['srv', '--stdio'] }),
  source: 'user',
  containerName: 'mcp-dock-every',
  container: { state: 'running', adopted: false, id: 'c1' },
  health: { status: 'unknown' },
  secretsSet: [],
};

const CONFIG = '/home/me/.cursor/mcp.json';
const SNIPPET: Snippet = {
  client: 'cursor',
  server: 'every',
  entryName: 'every',
  format: 'json',
  text: '{ "mcpServers": { "every": { "command": "docker" } } }',
  launch: { command: 'docker', args: ['exec', '-i', 'mcp-dock-every', 'srv', '--stdio'] },
  configPath: CONFIG,
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

type Stub = ReturnType<typeof createPreloadStub>;

// The Connect pane with one running server and a client's snippet shown (Cursor's unless told);
// `answer` sets what core says before the pane asks.
async function mountWithServer(answer: (stub: Stub) => void, client = 'Cursor') {
  const stub = createPreloadStub();
  stub.raw.snippets.get.mockResolvedValue({ ok: true, value: SNIPPET } as never);
  answer(stub);
  window.mcpDock = stub.raw;
  stop = startSync(connectToDock(window));
  render(<App />);
  act(() => stub.pushServers([RUNNING]));
  if (client !== 'Cursor') await userEvent.setup().click(screen.getByRole('tab', { name: client }));
  return { stub, region: await screen.findByRole('region', { name: `${client} snippet` }) };
}

describe('Connect pane: the client’s own config file', () => {
  it('adds the server’s entry, says where and what was backed up, then offers to remove it', async () => {
    const user = userEvent.setup();
    const { stub, region } = await mountWithServer((stub) => {
      stub.raw.clientConfigs.has.mockResolvedValue({
        ok: true,
        value: { path: CONFIG, present: false },
      } as never);
      stub.raw.clientConfigs.add.mockResolvedValue({
        ok: true,
        value: { path: CONFIG, backup: `${CONFIG}.mcp-dock-backup`, changed: true },
      } as never);
      stub.raw.clientConfigs.remove.mockResolvedValue({
        ok: true,
        value: { path: CONFIG, changed: true },
      } as never);
    });
    expect(stub.raw.clientConfigs.has).toHaveBeenCalledWith({ client: 'cursor', server: 'every' });

    await user.click(await within(region).findByRole('button', { name: 'Add to Cursor' }));
    expect(stub.raw.clientConfigs.add).toHaveBeenCalledWith({ client: 'cursor', server: 'every' });
    expect((await within(region).findByRole('status')).textContent).toBe(
      `Added to ${CONFIG}. The previous file is saved as ${CONFIG}.mcp-dock-backup. Restart Cursor to pick it up.`,
    );

    await user.click(within(region).getByRole('button', { name: 'Remove from Cursor' }));
    expect(stub.raw.clientConfigs.remove).toHaveBeenCalledWith({ client: 'cursor', server: 'every' });
    expect((await within(region).findByRole('status')).textContent).toBe(
      `Removed from ${CONFIG}. Restart Cursor to pick it up.`,
    );
    expect(within(region).getByRole('button', { name: 'Add to Cursor' })).toBeTruthy();
  });

  it('reports a file core cannot change, next to the buttons', async () => {
    const user = userEvent.setup();
    const { region } = await mountWithServer((stub) => {
      stub.raw.clientConfigs.has.mockResolvedValue({
        ok: true,
        value: { path: CONFIG, present: true },
      } as never);
      stub.raw.clientConfigs.remove.mockResolvedValue({
        ok: false,
        error: { code: 'CLIENT_CONFIG_INVALID', message: `${CONFIG} is not valid JSON with comments` },
      } as never);
    });

    await user.click(await within(region).findByRole('button', { name: 'Remove from Cursor' }));
    expect((await within(region).findByRole('alert')).textContent).toBe(
      `${CONFIG} is not valid JSON with comments.`,
    );
  });

  it('shows a YAML client’s snippet with its file and its own Add button', async () => {
    const file = '/home/me/.config/goose/config.yaml';
    const text = 'extensions:\n  every:\n    name: every\n    type: stdio\n    cmd: docker\n';
    const { region } = await mountWithServer((stub) => {
      stub.raw.snippets.get.mockResolvedValue({
        ok: true,
        value: { ...SNIPPET, client: 'goose', format: 'yaml', text, configPath: file },
      } as never);
      stub.raw.clientConfigs.has.mockResolvedValue({
        ok: true,
        value: { path: file, present: false },
      } as never);
    }, 'Goose');
    expect(within(region).getByText(/cmd: docker/).textContent).toBe(text);
    expect(within(region).getByLabelText('Config path').textContent).toBe(file);
    expect(await within(region).findByRole('button', { name: 'Add to Goose' })).toBeTruthy();
  });

  it('tells JetBrains users where to paste, and offers no Add button', async () => {
    const { stub, region } = await mountWithServer((stub) => {
      const { configPath: _none, ...snippet } = SNIPPET;
      stub.raw.snippets.get.mockResolvedValue({
        ok: true,
        value: { ...snippet, client: 'jetbrains' },
      } as never);
    }, 'JetBrains AI Assistant');
    expect(within(region).getByLabelText('Where to paste').textContent).toMatch(
      /^Paste it in Settings \| Tools \| AI Assistant \| Model Context Protocol \(MCP\)/,
    );
    expect(within(region).queryByRole('button', { name: /Add to/ })).toBeNull();
    expect(stub.raw.clientConfigs.has).not.toHaveBeenCalledWith({ client: 'jetbrains', server: 'every' });
  });
});
