import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PendingApproval } from '../../../../../shared/approvals';
import { App } from '../../../app/App';
import { startSync } from '../../../app/start';
import { createPreloadStub } from '../../../common/mocks/preload-stub';
import { connectToDock } from '../../../lib/dock-client';
import { resetConnectionStore } from '../../connection';
import { resetEngineStore } from '../../engine';
import { resetServersStore } from '../../servers';
import { resetApprovalsStore } from '../lib/approvals-store';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const held = (id: string, tool = 'delete_file'): PendingApproval => ({
  id,
  server: 'files',
  tool,
  client_id: 'cursor-1a2b',
  client_name: 'Cursor',
  user_id: 'me',
  arguments: { path: '/home/<PERSON>/notes.txt', notify: '<EMAIL_ADDRESS>' },
  requested_at: new Date(NOW).toISOString(),
  expires_at: new Date(NOW + 120_000).toISOString(),
  asked_in_client: false,
});

let stop: (() => void) | undefined;
beforeEach(() => {
  resetEngineStore();
  resetConnectionStore();
  resetServersStore();
  resetApprovalsStore();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  stop?.();
  delete window.mcpDock;
  vi.useRealTimers();
});

function mount() {
  const stub = createPreloadStub();
  window.mcpDock = stub.raw;
  stop = startSync(connectToDock(window));
  render(<App />);
  return stub;
}

describe('the held-call dialog', () => {
  it('asks about the oldest held call with its client and masked arguments, and allows it once', async () => {
    const user = userEvent.setup();
    const stub = mount();
    stub.pushApprovals([held('a'), held('b', 'move_file')]);
    const dialog = await screen.findByRole('dialog', { name: 'Allow Cursor to run delete_file of files?' });
    expect(within(dialog).getByLabelText('Arguments').textContent).toBe(
      JSON.stringify({ path: '/home/<PERSON>/notes.txt', notify: '<EMAIL_ADDRESS>' }, null, 2),
    );
    expect(dialog.textContent).toContain('without one in 120 s the call is denied');
    expect(dialog.textContent).toContain('1 more waiting after this one.');

    await user.click(within(dialog).getByRole('button', { name: 'Allow once' }));
    await vi.waitFor(() =>
      expect(stub.raw.approvals.decide).toHaveBeenCalledWith({ id: 'a', decision: 'allow' }),
    );
    expect(
      await screen.findByRole('dialog', { name: 'Allow Cursor to run move_file of files?' }),
    ).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Always allow this tool for Cursor' }));
    expect(stub.raw.approvals.decide).toHaveBeenLastCalledWith({ id: 'b', decision: 'allow', always: true });
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('denies, and says so when the call was answered elsewhere meanwhile', async () => {
    const user = userEvent.setup();
    const stub = mount();
    stub.pushApprovals([held('a')]);
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Deny' }));
    await vi.waitFor(() =>
      expect(stub.raw.approvals.decide).toHaveBeenCalledWith({ id: 'a', decision: 'deny' }),
    );
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    stub.pushApprovals([held('gone')]);
    stub.raw.approvals.decide.mockResolvedValueOnce({
      ok: false,
      error: {
        code: 'APPROVAL_NOT_FOUND',
        message: 'no call waits for approval with id gone (answered, timed out or withdrawn)',
      },
    });
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Allow once' }));
    const note = await screen.findByRole('alertdialog', { name: 'The call could not be answered' });
    expect(note.textContent).toContain('answered, timed out or withdrawn');
    await user.click(within(note).getByRole('button', { name: 'OK' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('follows core: a call answered in the CLI goes away', async () => {
    const stub = mount();
    stub.pushApprovals([held('a')]);
    await screen.findByRole('dialog');
    stub.pushApprovals([]);
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});
