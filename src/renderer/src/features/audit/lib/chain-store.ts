import { create } from 'zustand';
import type { AuditChainStatus, AuditEvent } from '../../../../../shared/audit';
import { auditApi } from './audit-store';
import { describeError } from '../../../common/describe-error';

// Verifying reads the whole log in core (about a second per million records), so it is not
// repeated per event. Live events mark the badge stale at once ("N newer not verified yet"), and
// while the pane is open one re-verify follows, at most once per CHAIN_RECHECK_MS, or per three
// times as long as the last verify took, whichever is longer.
export const CHAIN_RECHECK_MS = 1000;

// The hash chain's state as core last verified it: a cache.
interface ChainState {
  status: AuditChainStatus | null;
  verifying: boolean;
  error: string | null;
  // Records logged after the ones the status covers (only counted while the chain is intact).
  newer: number;
}

const initialState: ChainState = { status: null, verifying: false, error: null, newer: 0 };
export const useChainStore = create<ChainState>()(() => ({ ...initialState }));
const get = useChainStore.getState;
const set = useChainStore.setState;

let generation = 0;
// The newest seq seen in a live batch, whatever the table's filter.
let newestSeen = 0;
let lastVerifyMs = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let watchers = 0;

// A record's seq counts from 1 and verify checks all of them, so an intact status covers up to
// seq `records`.
const covered = (status: AuditChainStatus | null) => (status?.ok ? status.records : undefined);

function newerThan(status: AuditChainStatus | null): number {
  const upTo = covered(status);
  return upTo === undefined ? 0 : Math.max(0, newestSeen - upTo);
}

function scheduleRecheck(): void {
  if (timer || watchers === 0 || get().verifying || get().newer === 0) return;
  timer = setTimeout(
    () => {
      timer = undefined;
      void verifyAuditChain();
    },
    Math.max(CHAIN_RECHECK_MS, 3 * lastVerifyMs),
  );
}

export async function verifyAuditChain(): Promise<void> {
  const run = ++generation;
  if (timer) clearTimeout(timer);
  timer = undefined;
  useChainStore.setState({ verifying: true });
  const started = performance.now();
  try {
    const status = await auditApi().audit.verify();
    if (run !== generation) return;
    lastVerifyMs = performance.now() - started;
    set({ status, verifying: false, error: null, newer: newerThan(status) });
    scheduleRecheck();
  } catch (error) {
    if (run === generation) set({ verifying: false, error: describeError(error) });
  }
}

export function ensureChainVerified(): void {
  const { status, verifying } = get();
  if (!status && !verifying) void verifyAuditChain();
}

// Live batches, oldest first, as they reach the renderer (startAuditSync).
export function noteAuditEvents(batch: readonly AuditEvent[]): void {
  for (const event of batch) if (event.seq > newestSeen) newestSeen = event.seq;
  const newer = newerThan(get().status);
  if (newer === get().newer) return;
  set({ newer });
  scheduleRecheck();
}

// The pane keeps the badge current only while it is open; returns the stop.
export function watchChain(): () => void {
  watchers += 1;
  scheduleRecheck();
  return () => {
    watchers -= 1;
    if (watchers === 0 && timer) {
      clearTimeout(timer);
      timer = undefined;
    }
  };
}

export function resetChainStore(): void {
  generation++;
  newestSeen = 0;
  lastVerifyMs = 0;
  if (timer) clearTimeout(timer);
  timer = undefined;
  set({ ...initialState });
}
