import { create } from 'zustand';
import type { DockApi } from '../../../../../shared/contract';
import type { PendingApproval } from '../../../../../shared/approvals';
import { describeError } from '../../../common/describe-error';

interface ApprovalsState {
  // Calls held for a person, oldest first (core's order).
  pending: PendingApproval[];
  error: string | null;
  busy: boolean;
}

const initialState = (): ApprovalsState => ({ pending: [], error: null, busy: false });
export const useApprovalsStore = create<ApprovalsState>()(() => initialState());

let api: DockApi | undefined;
// Bumped by every push: a read that was under way when one arrived is older than it, and dropped.
let generation = 0;

export function startApprovalsSync(dock: DockApi): () => void {
  api = dock;
  const stop = dock.approvals.onChanged((pending) => {
    generation++;
    useApprovalsStore.setState({ pending });
  });
  void refreshApprovals();
  return stop;
}

export async function refreshApprovals(): Promise<void> {
  if (!api) return;
  const run = ++generation;
  try {
    const pending = await api.approvals.list();
    if (run === generation) useApprovalsStore.setState({ pending });
  } catch {
    // The next push brings the list.
  }
}

// Allow once, always (this tool for this client), or deny. An answer for a call that is no longer
// held (answered elsewhere, timed out) says so and drops it.
export async function decideApproval(id: string, decision: 'allow' | 'deny', always = false): Promise<void> {
  if (!api || useApprovalsStore.getState().busy) return;
  useApprovalsStore.setState({ busy: true, error: null });
  try {
    await api.approvals.decide({ id, decision, ...(always ? { always } : {}) });
    useApprovalsStore.setState((s) => ({ busy: false, pending: s.pending.filter((p) => p.id !== id) }));
  } catch (error) {
    useApprovalsStore.setState((s) => ({
      busy: false,
      error: describeError(error),
      pending: s.pending.filter((p) => p.id !== id),
    }));
  }
}

export function dismissApprovalError(): void {
  useApprovalsStore.setState({ error: null });
}

export function resetApprovalsStore(): void {
  useApprovalsStore.setState(initialState());
}
