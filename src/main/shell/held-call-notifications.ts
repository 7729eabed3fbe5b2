import { Notification } from 'electron';
import type { PendingApproval } from '../../shared/approvals';
import type { Unsubscribe } from '../../shared/contract-kit';

// A desktop notification for each call an "ask" policy holds, so the person hears of it with the
// window hidden in the tray; clicking it brings the window, where the question waits.
export function notifyHeldCalls(
  approvals: { onChanged(listener: (pending: PendingApproval[]) => void): Unsubscribe },
  show: () => void,
): Unsubscribe {
  const told = new Set<string>();
  return approvals.onChanged((pending) => {
    for (const call of pending) {
      if (told.has(call.id)) continue;
      told.add(call.id);
      if (!Notification.isSupported()) continue;
      const note = new Notification({
        title: 'MCP Dock: a tool call waits for you',
        body: `${call.client_name ?? call.client_id} wants to run ${call.tool} of ${call.server}. Allow or deny it in MCP Dock.`,
      });
      note.on('click', show);
      note.show();
    }
    // Answered calls are forgotten, so the set stays as small as what is held.
    for (const id of told) if (!pending.some((p) => p.id === id)) told.delete(id);
  });
}
