import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serverSpecSchema, type ServerView } from '../../../../../shared/servers';
import { App } from '../../../app/App';
import { startSync } from '../../../app/start';
import { createPreloadStub } from '../../../common/mocks/preload-stub';
import { connectToDock } from '../../../lib/dock-client';
import { resetConnectionStore } from '../../connection';
import { resetEngineStore } from '../../engine';
import { splitCommand } from '../lib/command-words';
import { MAX_UI_LOG_LINES, appendLogs, resetServersStore, useServersStore } from '../lib/servers-store';

function view(name: string, overrides: Partial<ServerView> = {}): ServerView {
  return {
    spec: serverSpecSchema.parse({ name, image: 'img:1', command: ['srv', '--stdio'] }),
    source: 'user',
    containerName: `mcp-dock-${name}`,
    container: { state: 'absent', adopted: false },
    health: { status: 'unknown' },
    secretsSet: [],
    ...overrides,
  };
}

let stop: (() => void) | undefined;
function mount(stub = createPreloadStub()) {
  window.mcpDock = stub.raw;
  const connection = connectToDock(window);
  stop = startSync(connection);
  render(<App />);
  return stub;
}

beforeEach(() => {
  resetEngineStore();
  resetConnectionStore();
  resetServersStore();
});
afterEach(() => {
  stop?.();
  delete window.mcpDock;
});

describe('Containers pane', () => {
  it('shows an allow-listed server’s refused hosts, and allows one in a click', async () => {
    const stub = mount();
    const spec = serverSpecSchema.parse({
      name: 'c7',
      image: 'node:24-slim',
      command: ['npx', 'c7'],
      network: 'egress',
      egress: ['context7.com'],
    });
    act(() =>
      stub.pushServers([
        view('c7', {
          spec,
          container: { state: 'running', adopted: false, id: 'x' },
          egressSeen: {
            allowed: 12,
            denied: [{ host: 'evil.example', port: 443, count: 3, lastAt: '2026-11-22T00:00:00.000Z' }],
          },
        }),
      ]),
    );
    const card = await screen.findByRole('article', { name: 'c7' });
    expect(card.textContent).toContain('network: allow-list (context7.com)');
    const egress = within(card).getByRole('region', { name: 'Egress of c7' });
    expect(egress.textContent).toContain('12 allowed');
    expect(within(egress).getByRole('list', { name: 'Refused hosts of c7' }).textContent).toContain(
      'evil.example:443 refused 3 times',
    );
    stub.raw.servers.update.mockResolvedValueOnce({ ok: true, value: view('c7', { spec }) } as never);
    await userEvent.click(within(egress).getByRole('button', { name: 'Allow this host' }));
    expect(stub.raw.servers.update).toHaveBeenCalledWith({
      name: 'c7',
      spec: expect.objectContaining({ egress: ['context7.com', 'evil.example'] }),
    });
  });

  it('lists servers with their state and tools, and starts one', async () => {
    const stub = mount();
    act(() =>
      stub.pushServers([
        view('alpha'),
        view('beta', {
          container: { state: 'running', adopted: false, id: 'x' },
          health: {
            status: 'ready',
            checkedAt: '2026-11-22T00:00:00.000Z',
            serverName: 'b',
            serverVersion: '1',
            tools: [{ name: 'echo', description: 'Echoes' }],
          },
        }),
      ]),
    );
    const alpha = await screen.findByRole('article', { name: 'alpha' });
    expect(within(alpha).getByLabelText('alpha state').textContent).toBe('not created');
    const beta = screen.getByRole('article', { name: 'beta' });
    expect(within(beta).getByRole('list', { name: 'beta tools' }).textContent).toContain('echo');
    stub.raw.servers.start.mockResolvedValueOnce({
      ok: true,
      value: view('alpha', { container: { state: 'running', adopted: false } }),
    } as never);
    await userEvent.click(within(alpha).getByRole('button', { name: 'Start' }));
    expect(stub.raw.servers.start).toHaveBeenCalledWith({ name: 'alpha' });
  });

  it('offers the clash choices after NAME_CLASH and sends the one picked', async () => {
    const stub = mount();
    act(() => stub.pushServers([view('alpha')]));
    const card = await screen.findByRole('article', { name: 'alpha' });
    stub.raw.servers.start.mockResolvedValueOnce({
      ok: false,
      error: { code: 'NAME_CLASH', message: 'A container named "mcp-dock-alpha" already exists' },
    } as never);
    await userEvent.click(within(card).getByRole('button', { name: 'Start' }));
    expect(await within(card).findByRole('alert')).toHaveProperty(
      'textContent',
      expect.stringContaining('already exists'),
    );
    stub.raw.servers.start.mockResolvedValueOnce({ ok: true, value: view('alpha') } as never);
    await userEvent.click(within(card).getByRole('button', { name: 'Adopt it' }));
    expect(stub.raw.servers.start).toHaveBeenLastCalledWith({ name: 'alpha', onClash: 'adopt' });
  });

  it('offers the pull when the image is missing', async () => {
    const stub = mount();
    act(() => stub.pushServers([view('alpha')]));
    const card = await screen.findByRole('article', { name: 'alpha' });
    stub.raw.servers.start.mockResolvedValueOnce({
      ok: false,
      error: { code: 'IMAGE_MISSING', message: 'Image img:1 is not on this engine.' },
    } as never);
    await userEvent.click(within(card).getByRole('button', { name: 'Start' }));
    await userEvent.click(await within(card).findByRole('button', { name: 'Pull img:1' }));
    expect(stub.raw.servers.pull).toHaveBeenCalledWith({ name: 'alpha' });
  });

  it('says once what failed, shows `commands` as code, and never a raw code', async () => {
    const stub = mount();
    act(() => stub.pushServers([view('alpha')]));
    const card = await screen.findByRole('article', { name: 'alpha' });
    stub.raw.servers.start.mockResolvedValueOnce({
      ok: false,
      error: {
        code: 'IMAGE_MISSING',
        message:
          'Image img:1 is not on this engine. Pull it first (the Pull button, or `docker pull img:1`).',
      },
    } as never);
    await userEvent.click(within(card).getByRole('button', { name: 'Start' }));
    const missing = await within(card).findByRole('alert');
    expect(missing.textContent).toContain('(the Pull button, or docker pull img:1).');
    expect(missing.querySelector('code')?.textContent).toBe('docker pull img:1');

    stub.raw.servers.pull.mockResolvedValueOnce({
      ok: false,
      error: {
        code: 'PULL_FAILED',
        message:
          'Could not pull img:1: the registry cannot be reached from the Docker engine (dial tcp: lookup registry-1.docker.io: no such host)',
      },
    } as never);
    await userEvent.click(within(card).getByRole('button', { name: 'Pull img:1' }));
    await waitFor(() =>
      expect(within(card).getByRole('alert').textContent).toBe(
        'Could not pull img:1: the registry cannot be reached from the Docker engine (dial tcp: lookup registry-1.docker.io: no such host).',
      ),
    );

    stub.raw.servers.start.mockResolvedValueOnce({
      ok: false,
      error: {
        code: 'ENGINE_UNREACHABLE',
        message: 'The Docker engine is not reachable (connect ENOENT). Start it and try again.',
      },
    } as never);
    await userEvent.click(within(card).getByRole('button', { name: 'Start' }));
    await waitFor(() =>
      expect(within(card).getByRole('alert').textContent).toBe(
        'Could not start: The Docker engine is not reachable (connect ENOENT). Start it and try again.',
      ),
    );
  });

  it('closes the Logs drawer with Escape and gives focus back to the Logs button', async () => {
    const user = userEvent.setup();
    const stub = mount();
    stub.raw.servers.logs.mockResolvedValue({
      ok: true,
      value: [{ at: '2026-11-22T00:00:00.000Z', stream: 'stderr', text: 'listening on stdio' }],
    } as never);
    act(() => stub.pushServers([view('alpha')]));
    const card = await screen.findByRole('article', { name: 'alpha' });
    const logs = within(card).getByRole('button', { name: 'Logs' });
    await user.click(logs);
    const drawer = await screen.findByRole('complementary', { name: 'Logs of alpha' });
    expect(await within(drawer).findByText('listening on stdio')).toBeTruthy();
    expect(drawer.contains(document.activeElement)).toBe(true);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('complementary', { name: 'Logs of alpha' })).toBeNull();
    expect(document.activeElement).toBe(logs);
  });

  it('shows why a server failed, with its last log lines', async () => {
    const stub = mount();
    act(() =>
      stub.pushServers([
        view('alpha', {
          container: { state: 'running', adopted: false },
          health: {
            status: 'failed',
            checkedAt: '2026-11-22T00:00:00.000Z',
            reason: 'the MCP handshake failed: closed',
            lastLogLines: ['Error: cannot find module x'],
          },
        }),
      ]),
    );
    const card = await screen.findByRole('article', { name: 'alpha' });
    expect(within(card).getByRole('alert').textContent).toMatch(
      /handshake failed[\s\S]*cannot find module x/,
    );
  });

  it('validates the add form before sending, then sends the parsed spec', async () => {
    const stub = mount();
    act(() => stub.pushServers([]));
    await userEvent.click(await screen.findByRole('button', { name: 'Add server' }));
    const form = screen.getByRole('form', { name: 'Add a server' });
    await userEvent.type(within(form).getByLabelText('Name', { exact: true }), 'bad name');
    await userEvent.type(within(form).getByLabelText('Image', { exact: true }), 'img:1');
    await userEvent.type(within(form).getByLabelText('MCP command (stdio)'), 'npx -y "@scope/pkg" --flag');
    await userEvent.click(within(form).getByRole('button', { name: 'Add server' }));
    expect(within(form).getByRole('alert').textContent).toMatch(/name/);
    expect(stub.raw.servers.add).not.toHaveBeenCalled();

    await userEvent.clear(within(form).getByLabelText('Name', { exact: true }));
    await userEvent.type(within(form).getByLabelText('Name', { exact: true }), 'good');
    stub.raw.servers.add.mockResolvedValueOnce({ ok: true, value: view('good') } as never);
    await userEvent.click(within(form).getByRole('button', { name: 'Add server' }));
    await waitFor(() => expect(stub.raw.servers.add).toHaveBeenCalled());
    expect((stub.raw.servers.add.mock.calls[0] as unknown[])[0]).toMatchObject({
      spec: { name: 'good', image: 'img:1', command: ['npx', '-y', '@scope/pkg', '--flag'], network: 'none' },
    });
    expect((stub.raw.servers.add.mock.calls[0] as unknown as [{ spec: object }])[0].spec).not.toHaveProperty(
      'user',
    );
  });

  it('sets the user the server runs as and whether programs may run from /tmp, validated', async () => {
    const stub = mount();
    act(() => stub.pushServers([]));
    await userEvent.click(await screen.findByRole('button', { name: 'Add server' }));
    const form = screen.getByRole('form', { name: 'Add a server' });
    await userEvent.type(within(form).getByLabelText('Name', { exact: true }), 'npxy');
    await userEvent.type(within(form).getByLabelText('Image', { exact: true }), 'node:20-slim');
    await userEvent.type(within(form).getByLabelText('MCP command (stdio)'), 'npx -y pkg');
    expect(within(form).getByLabelText('Run as (user)')).toHaveProperty(
      'placeholder',
      expect.stringContaining('65534:65534'),
    );
    await userEvent.type(within(form).getByLabelText('Run as (user)'), '1000:');
    await userEvent.click(within(form).getByRole('button', { name: 'Add server' }));
    expect(within(form).getByRole('alert').textContent).toMatch(/user: a user as uid\[:gid\]/);
    expect(stub.raw.servers.add).not.toHaveBeenCalled();

    await userEvent.type(within(form).getByLabelText('Run as (user)'), '1000');
    await userEvent.click(within(form).getByLabelText(/Allow programs in \/tmp/));
    stub.raw.servers.add.mockResolvedValueOnce({ ok: true, value: view('npxy') } as never);
    await userEvent.click(within(form).getByRole('button', { name: 'Add server' }));
    await waitFor(() => expect(stub.raw.servers.add).toHaveBeenCalled());
    expect((stub.raw.servers.add.mock.calls[0] as unknown[])[0]).toMatchObject({
      spec: { user: '1000:1000', relax: { tmpExec: true, writableRootfs: false } },
    });
  });

  it('adds a server on an allow-list of hosts, validated', async () => {
    const stub = mount();
    act(() => stub.pushServers([]));
    await userEvent.click(await screen.findByRole('button', { name: 'Add server' }));
    const form = screen.getByRole('form', { name: 'Add a server' });
    await userEvent.type(within(form).getByLabelText('Name', { exact: true }), 'c7');
    await userEvent.type(within(form).getByLabelText('Image', { exact: true }), 'node:24-slim');
    await userEvent.type(within(form).getByLabelText('MCP command (stdio)'), 'npx -y c7');
    await userEvent.selectOptions(within(form).getByLabelText('Network'), 'egress');
    const hosts = within(form).getByLabelText(/Allowed hosts/);
    await userEvent.type(hosts, 'context7.com{enter}not a host');
    await userEvent.click(within(form).getByRole('button', { name: 'Add server' }));
    expect(within(form).getByRole('alert').textContent).toMatch(/egress\.1: a host as name/);
    await userEvent.clear(hosts);
    await userEvent.type(hosts, 'Context7.com{enter}*.npmjs.org:443');
    stub.raw.servers.add.mockResolvedValueOnce({ ok: true, value: view('c7') } as never);
    await userEvent.click(within(form).getByRole('button', { name: 'Add server' }));
    await waitFor(() => expect(stub.raw.servers.add).toHaveBeenCalled());
    expect((stub.raw.servers.add.mock.calls[0] as unknown[])[0]).toMatchObject({
      spec: { network: 'egress', egress: ['context7.com', '*.npmjs.org:443'] },
    });
  });

  it('names what runs as whom and whether /tmp may run programs on the card', async () => {
    const stub = mount();
    const strict = view('strict');
    const relaxed = view('relaxed', {
      spec: serverSpecSchema.parse({
        name: 'relaxed',
        image: 'img:1',
        command: ['srv'],
        user: 'root',
        relax: { tmpExec: true },
      }),
    });
    act(() => stub.pushServers([strict, relaxed]));
    const a = await screen.findByRole('article', { name: 'strict' });
    expect(a.textContent).toContain('non-root');
    expect(a.textContent).toContain('/tmp noexec');
    const b = screen.getByRole('article', { name: 'relaxed' });
    expect(b.textContent).toContain('runs as root (relaxed)');
    expect(b.textContent).toContain('programs allowed in /tmp (relaxed)');
  });
});

describe('Left-over containers', () => {
  const orphan = (name: string, state: string, owner: 'this' | 'unknown', safeToRemove: boolean) => ({
    id: `id-${name}`,
    name,
    server: name,
    state,
    owner,
    safeToRemove,
  });

  it('calls only this instance’s stopped left-overs safe, and offers no removal of a running one', async () => {
    const stub = createPreloadStub();
    stub.raw.servers.orphans.mockResolvedValue({
      ok: true,
      value: [
        orphan('gone', 'exited', 'this', true),
        orphan('busy', 'running', 'this', false),
        orphan('old', 'exited', 'unknown', false),
      ],
    } as never);
    mount(stub);
    const safe = await screen.findByRole('list', { name: 'Safe to remove' });
    expect(safe.textContent).toContain('gone');
    expect(safe.textContent).not.toContain('busy');
    const unsure = screen.getByRole('list', { name: 'Check before removing' });
    const busy = within(unsure).getByText('busy').closest('li')!;
    expect(busy.textContent).toMatch(/still running: stop it first/);
    expect(within(busy).queryByRole('button')).toBeNull();

    // One of unknown owner is removed only after a second, explicit click.
    const old = within(unsure).getByText('old').closest('li')!;
    await userEvent.click(within(old).getByRole('button', { name: 'Remove…' }));
    expect(stub.raw.servers.removeOrphan).not.toHaveBeenCalled();
    await userEvent.click(within(old).getByRole('button', { name: 'Remove old' }));
    expect(stub.raw.servers.removeOrphan).toHaveBeenCalledWith({ id: 'id-old' });

    await userEvent.click(within(safe).getByRole('button', { name: 'Remove' }));
    expect(stub.raw.servers.removeOrphan).toHaveBeenLastCalledWith({ id: 'id-gone' });
  });
});

describe('servers store and helpers', () => {
  it('keeps a bounded number of log lines per server', () => {
    const line = { stream: 'stdout' as const, text: 'x', at: '2026-11-22T00:00:00.000Z' };
    for (let i = 0; i < 3; i++)
      appendLogs(
        'a',
        Array.from({ length: MAX_UI_LOG_LINES }, () => line),
      );
    expect(useServersStore.getState().logs.a).toHaveLength(MAX_UI_LOG_LINES);
  });

  it('splits command lines like a shell, quotes included', () => {
    expect(splitCommand(`uv run "/app/my server.py" --x='a b' ''`)).toEqual([
      'uv',
      'run',
      '/app/my server.py',
      '--x=a b',
      '',
    ]);
  });
});

vi.stubGlobal('confirm', () => true);
