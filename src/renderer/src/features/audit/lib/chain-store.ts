import { create } from 'zustand';
import type { AuditChainStatus } from '../../../../../shared/audit';
import { auditApi } from './audit-store';
import { describeError } from './describe-error';

// The hash chain's state as core last verified it: a cache, refreshed on request (verifying reads
// the whole log, so it is not repeated on every event).
interface ChainState {
  status: AuditChainStatus | null;
  verifying: boolean;
  error: string | null;
}

const initialState: ChainState = { status: null, verifying: false, error: null };
export const useChainStore = create<ChainState>()(() => ({ ...initialState }));

let generation = 0;

export async function verifyAuditChain(): Promise<void> {
  const run = ++generation;
  useChainStore.setState({ verifying: true });
  try {
    const status = await auditApi().audit.verify();
    if (run === generation) useChainStore.setState({ status, verifying: false, error: null });
  } catch (error) {
    if (run === generation) useChainStore.setState({ verifying: false, error: describeError(error) });
  }
}

export function ensureChainVerified(): void {
  const { status, verifying } = useChainStore.getState();
  if (!status && !verifying) void verifyAuditChain();
}

export function resetChainStore(): void {
  generation++;
  useChainStore.setState({ ...initialState });
}
