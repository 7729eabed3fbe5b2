import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { remoteSpecSchema, type RemoteView } from '../../../../../shared/remotes';
import { App } from '../../../app/App';
import { startSync } from '../../../app/start';
import { createPreloadStub } from '../../../common/mocks/preload-stub';
import { connectToDock } from '../../../lib/dock-client';
import { resetConnectionStore } from '../../connection';
import { resetEngineStore } from '../../engine';
import { resetServersStore } from '../../servers';
import { resetRemotesStore } from '../lib/remotes-store';

function remote(name: string, overrides: Partial<RemoteView> = {}): RemoteView {
  return {
    spec: remoteSpecSchema.parse({ name, url: `https://${name}.example/mcp`, auth: { type: 'oauth' } }),
    state: 'signed-out',
    tools: [],
    secretsSet: [],
    signedIn: false,
    ...overrides,
  };
}

let stop: (() => void) | undefined;
function mount(stub = createPreloadStub()) {
  window.mcpDock = stub.raw;
  stop = startSync(connectToDock(window));
  render(<App />);
  return stub;
}

beforeEach(() => {
  resetEngineStore();
  resetConnectionStore();
  resetServersStore();
  resetRemotesStore();
});
afterEach(() => {
  stop?.();
  delete window.mcpDock;
  vi.restoreAllMocks();
});

describe('Remote servers on the Servers pane', () => {
  it('lists remote servers even without a Docker engine, with their state and tools', async () => {
    const stub = mount();
    act(() =>
      stub.pushRemotes([
        remote('linear'),
        remote('echo', {
          spec: remoteSpecSchema.parse({ name: 'echo', url: 'http://127.0.0.1:1/mcp' }),
          state: 'ready',
          transport: 'sse',
          tools: [{ name: 'say', description: 'Says it' }],
        }),
        remote('gone', {
          spec: remoteSpecSchema.parse({ name: 'gone', url: 'http://127.0.0.1:2/mcp' }),
          state: 'down',
          reason: 'cannot reach http://127.0.0.1:2/mcp: ECONNREFUSED',
        }),
      ]),
    );
    const linear = await screen.findByRole('article', { name: 'linear' });
    expect(within(linear).getByLabelText('linear state').textContent).toBe('sign-in needed');
    expect(linear.textContent).toContain('OAuth: not signed in');
    const echo = screen.getByRole('article', { name: 'echo' });
    expect(within(echo).getByRole('list', { name: 'echo tools' }).textContent).toContain('say');
    expect(echo.textContent).toContain('sse');
    expect(screen.getByRole('article', { name: 'gone' }).textContent).toContain('ECONNREFUSED');
  });

  it('signs in from the card: the desktop shell opens the page, and its link stays at hand', async () => {
    const stub = mount();
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    act(() => stub.pushRemotes([remote('linear')]));
    stub.raw.remotes.signIn.mockResolvedValueOnce({
      ok: true,
      value: { authorizationUrl: 'https://auth.example/authorize?x=1' },
    } as never);
    const card = await screen.findByRole('article', { name: 'linear' });
    await userEvent.click(within(card).getByRole('button', { name: 'Sign in' }));
    expect(stub.raw.remotes.signIn).toHaveBeenCalledWith({ name: 'linear' });
    // The window may not open pages in the desktop app: the shell opens the system browser.
    expect(open).not.toHaveBeenCalled();
    expect(within(card).getByRole('link', { name: 'open the sign-in page' }).getAttribute('href')).toBe(
      'https://auth.example/authorize?x=1',
    );
    // Signed in: the link goes, Sign out appears.
    act(() => stub.pushRemotes([remote('linear', { signedIn: true, state: 'ready' })]));
    expect(within(card).queryByRole('link', { name: 'open the sign-in page' })).toBeNull();
    expect(within(card).getByRole('button', { name: 'Sign out' })).toBeTruthy();
  });

  it('in a browser (headless mode) the page opens the authorization page itself', async () => {
    const stub = createPreloadStub();
    stub.raw.app.getInfo.mockResolvedValue({
      ok: true,
      value: {
        name: 'MCP Dock',
        version: '0.1.0',
        mode: 'headless',
        dataDir: '/d',
        httpUrl: 'http://127.0.0.1:8081',
      },
    } as never);
    mount(stub);
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    act(() => stub.pushRemotes([remote('linear')]));
    stub.raw.remotes.signIn.mockResolvedValueOnce({
      ok: true,
      value: { authorizationUrl: 'https://auth.example/authorize?x=2' },
    } as never);
    const card = await screen.findByRole('article', { name: 'linear' });
    await userEvent.click(within(card).getByRole('button', { name: 'Sign in' }));
    expect(open).toHaveBeenCalledWith('https://auth.example/authorize?x=2', '_blank', 'noopener,noreferrer');
  });

  it('adds a remote server with a header secret, sending the value only as a secret', async () => {
    const stub = mount();
    stub.raw.remotes.add.mockResolvedValueOnce({ ok: true, value: remote('keyed') } as never);
    await userEvent.click(await screen.findByRole('button', { name: 'Add remote server' }));
    const form = screen.getByRole('form', { name: 'Add remote server' });
    await userEvent.type(within(form).getByLabelText('Name'), 'keyed');
    await userEvent.type(within(form).getByLabelText('URL'), 'https://keyed.example/mcp');
    await userEvent.selectOptions(within(form).getByLabelText('Authentication'), 'header');
    await userEvent.type(within(form).getByLabelText(/Header value/), 'Bearer s3cret');
    await userEvent.click(within(form).getByRole('button', { name: 'Add remote server' }));
    expect(stub.raw.remotes.add).toHaveBeenCalledWith({
      spec: {
        name: 'keyed',
        url: 'https://keyed.example/mcp',
        transport: 'auto',
        auth: { type: 'header', header: 'Authorization', secret: 'HEADER_VALUE' },
      },
      secretValues: { HEADER_VALUE: 'Bearer s3cret' },
    });
  });

  it('edits a remote server, keeping the stored header value when the field is left empty', async () => {
    const stub = mount();
    const keyed = remote('keyed', {
      spec: remoteSpecSchema.parse({
        name: 'keyed',
        url: 'https://old.example/mcp',
        auth: { type: 'header', header: 'X-Api-Key', secret: 'KEY' },
      }),
      state: 'ready',
      secretsSet: ['KEY'],
    });
    act(() => stub.pushRemotes([keyed]));
    stub.raw.remotes.update.mockResolvedValueOnce({ ok: true, value: keyed } as never);
    const card = await screen.findByRole('article', { name: 'keyed' });
    await userEvent.click(within(card).getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit keyed' });
    expect((within(form).getByLabelText('Header') as HTMLInputElement).value).toBe('X-Api-Key');
    const url = within(form).getByLabelText('URL');
    await userEvent.clear(url);
    await userEvent.type(url, 'https://new.example/mcp');
    await userEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(stub.raw.remotes.update).toHaveBeenCalledWith({
      name: 'keyed',
      spec: {
        name: 'keyed',
        url: 'https://new.example/mcp',
        transport: 'auto',
        auth: { type: 'header', header: 'X-Api-Key', secret: 'KEY' },
      },
    });
  });

  it('appear in Connect as served through the gateway, with no snippet of their own', async () => {
    window.location.hash = '#connect';
    try {
      const stub = mount();
      act(() =>
        stub.pushRemotes([
          remote('linear', { state: 'ready', signedIn: true, tools: [{ name: 'a' }, { name: 'b' }] }),
        ]),
      );
      const section = await screen.findByRole('region', { name: 'Remote servers through the gateway' });
      expect(section.textContent).toContain('linear (https://linear.example/mcp): 2 tools');
    } finally {
      window.location.hash = '';
    }
  });
});
