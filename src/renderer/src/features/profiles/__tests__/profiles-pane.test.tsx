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
import { resetRemotesStore } from '../../remotes';
import { resetServersStore } from '../../servers';
import { resetProfilesStore } from '../lib/profiles-store';

const remote = (name: string, tools: { name: string; description?: string }[]): RemoteView => ({
  spec: remoteSpecSchema.parse({ name, url: `http://127.0.0.1:1/${name}` }),
  state: 'ready',
  tools,
  secretsSet: [],
  signedIn: false,
});

let stop: (() => void) | undefined;
function mount() {
  window.location.hash = '#profiles';
  const stub = createPreloadStub();
  window.mcpDock = stub.raw;
  stop = startSync(connectToDock(window));
  render(<App />);
  act(() =>
    stub.pushRemotes([
      remote('github', [
        { name: 'create_issue', description: 'Open an issue' },
        { name: 'list_pull_requests', description: 'List pull requests of a repository' },
      ]),
      remote('files', [{ name: 'read_file', description: 'Read a file' }]),
    ]),
  );
  return stub;
}

beforeEach(() => {
  resetEngineStore();
  resetConnectionStore();
  resetServersStore();
  resetRemotesStore();
  resetProfilesStore();
});
afterEach(() => {
  stop?.();
  delete window.mcpDock;
  window.location.hash = '';
  vi.restoreAllMocks();
});

describe('Profiles pane', () => {
  it('creates a profile from whole servers and single tools picked with the filter', async () => {
    const stub = mount();
    const user = userEvent.setup();
    expect(await screen.findByText('No profiles yet')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'New profile' }));
    const form = screen.getByRole('form', { name: 'New profile' });
    await user.type(within(form).getByRole('textbox', { name: /^Name/ }), 'review');
    await user.type(within(form).getByRole('searchbox', { name: 'Filter' }), 'pull');
    // The filter leaves the matching tool, and hides the server that has none.
    expect(within(form).queryByRole('checkbox', { name: 'files read_file' })).toBeNull();
    await user.click(within(form).getByRole('checkbox', { name: 'github list_pull_requests' }));
    await user.clear(within(form).getByRole('searchbox', { name: 'Filter' }));
    await user.click(within(form).getAllByRole('checkbox', { name: /files\s*all of it/ })[0]!);
    await user.click(within(form).getByRole('checkbox', { name: /Tool search/ }));
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Calls' }), 'ask');
    await user.click(within(form).getByRole('button', { name: 'Add profile' }));

    expect(stub.raw.profiles.add).toHaveBeenCalledWith({
      name: 'review',
      servers: ['files'],
      tools: [{ server: 'github', tool: 'list_pull_requests' }],
      ownTools: false,
      search: true,
      callPolicy: 'ask',
    });
    const card = await screen.findByRole('article', { name: 'review' });
    expect(within(card).getByText('http://127.0.0.1:8081/mcp/p/review')).toBeTruthy();
    expect(within(card).getByText('tool search')).toBeTruthy();
    expect(within(card).getByText('calls: ask')).toBeTruthy();
    expect(within(card).getByText(/files \(all\), github › list_pull_requests/)).toBeTruthy();
  });

  it('edits and deletes a profile, and says why a save failed', async () => {
    const stub = mount();
    const user = userEvent.setup();
    await act(() =>
      stub.raw.profiles.add({
        name: 'dev',
        servers: ['github'],
        tools: [],
        ownTools: false,
        search: false,
      }),
    );
    await user.click(
      within(await screen.findByRole('article', { name: 'dev' })).getByRole('button', { name: 'Edit' }),
    );
    const form = screen.getByRole('form', { name: 'Edit profile dev' });
    // A tool of a server taken whole is in, and cannot be unticked alone.
    const tool = within(form).getByRole('checkbox', { name: 'github create_issue' }) as HTMLInputElement;
    expect(tool.checked && tool.disabled).toBe(true);
    await user.click(within(form).getByRole('checkbox', { name: /MCP Dock’s own/ }));
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(stub.raw.profiles.update).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'dev', profile: expect.objectContaining({ ownTools: true }) }),
    );
    expect(await screen.findByText(/github \(all\), MCP Dock’s own tools/)).toBeTruthy();

    // A name that is taken: the form says so and stays open.
    await user.click(screen.getByRole('button', { name: 'New profile' }));
    const adding = screen.getByRole('form', { name: 'New profile' });
    await user.type(within(adding).getByRole('textbox', { name: /^Name/ }), 'dev');
    await user.click(within(adding).getByRole('button', { name: 'Add profile' }));
    expect((await within(adding).findByRole('alert')).textContent).toContain('exists already');
    await user.click(within(adding).getByRole('button', { name: 'Cancel' }));

    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await user.click(
      within(screen.getByRole('article', { name: 'dev' })).getByRole('button', { name: 'Delete' }),
    );
    expect(await screen.findByText('No profiles yet')).toBeTruthy();
    expect(stub.raw.profiles.remove).toHaveBeenCalledWith({ name: 'dev' });
  });
});
