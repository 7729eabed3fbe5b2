import { create } from 'zustand';
import type { AuditEvent } from '../../../../../shared/audit';
import type { DockApi } from '../../../../../shared/contract';
import {
  EMPTY_AUDIT_FILTER,
  matchesAuditCriteria,
  toAuditCriteria,
  type AuditCriteria,
  type AuditFilter,
} from './audit-filter';
import { describeError } from '../../../common/describe-error';

// The first load and each "Load older" fetch this many events; the cache never holds more than
// AUDIT_MAX_ROWS (the oldest are dropped first, and can be fetched again while under the cap).
export const AUDIT_PAGE_SIZE = 10_000;
export const AUDIT_MAX_ROWS = 200_000;
// Trimming copies the cache, so it runs once per this many rows over the cap, not on every batch.
const TRIM_SLACK = 10_000;

export type AuditLoad = 'idle' | 'loading' | 'ready';

export interface AuditState {
  // The cached events, OLDEST first (seq order). An array held here is only ever appended to, in
  // place; anything else (a trim, a reload, an older page) puts a new array in its stead. So a
  // `(log, size)` pair read together is a snapshot that never changes under its reader, and a live
  // batch costs its own length instead of a copy of 100,000 rows. `size` changes with every
  // change, so select it along with `log`, and read rows through `auditRowAt`.
  log: readonly AuditEvent[];
  size: number;
  // Live events that arrived while paused, oldest first, under the same append-only rule, and how
  // many arrived (more than `pending` holds only after a pause longer than the cache is big).
  pending: readonly AuditEvent[];
  pendingCount: number;
  paused: boolean;
  filter: AuditFilter;
  criteria: AuditCriteria;
  // 'idle' until the pane first opens: nothing is fetched, or kept, for a pane nobody looks at.
  load: AuditLoad;
  loadingOlder: boolean;
  // Core may hold older matching events than the oldest cached one.
  hasOlder: boolean;
  error: string | null;
}

// A function, not a constant: the arrays are appended to in place and must never be shared.
const initialState = (): AuditState => ({
  log: [],
  size: 0,
  pending: [],
  pendingCount: 0,
  paused: false,
  filter: EMPTY_AUDIT_FILTER,
  criteria: {},
  load: 'idle',
  loadingOlder: false,
  hasOlder: false,
  error: null,
});

export const useAuditStore = create<AuditState>()(() => initialState());
const get = useAuditStore.getState;
const set = useAuditStore.setState;

let api: DockApi | undefined;
// Bumped by every reload and reset: the answer to an earlier request is then dropped.
let generation = 0;

export function auditApi(): DockApi {
  if (!api) throw new Error('audit sync not started');
  return api;
}

// Row `index` of the table, newest first.
export function auditRowAt(state: Pick<AuditState, 'log' | 'size'>, index: number): AuditEvent | undefined {
  return state.log[state.size - 1 - index];
}

// The cached rows newest first, as a new array (for tests and small views, not the table).
export function auditRowsNewestFirst(state: Pick<AuditState, 'log' | 'size'> = get()): AuditEvent[] {
  return state.log.slice(0, state.size).reverse();
}

function appendInPlace(target: readonly AuditEvent[], events: readonly AuditEvent[]): void {
  const rows = target as AuditEvent[];
  for (const event of events) rows.push(event);
}

function newestCachedSeq(state: AuditState): number {
  return state.pending.at(-1)?.seq ?? state.log[state.size - 1]?.seq ?? 0;
}

function appendRows(events: readonly AuditEvent[]): void {
  if (events.length === 0) return;
  const state = get();
  let log = state.log;
  appendInPlace(log, events);
  let hasOlder = state.hasOlder;
  if (log.length > AUDIT_MAX_ROWS + TRIM_SLACK) {
    log = log.slice(log.length - AUDIT_MAX_ROWS);
    hasOlder = true;
  }
  set({ log, size: log.length, hasOlder });
}

// Called once by startAuditSync (audit-sync.ts), before any live batch.
export function setAuditApi(dock: DockApi): void {
  api = dock;
}

// A live batch (oldest first). Events the cache already holds (by seq) and events the filter
// excludes are skipped; while paused the rest wait in `pending`.
export function receiveAuditEvents(batch: readonly AuditEvent[]): void {
  const state = get();
  if (state.load === 'idle') return;
  let last = newestCachedSeq(state);
  const fresh: AuditEvent[] = [];
  for (const event of batch) {
    if (event.seq <= last || !matchesAuditCriteria(event, state.criteria)) continue;
    fresh.push(event);
    last = event.seq;
  }
  if (fresh.length === 0) return;
  if (state.paused) {
    // A long pause keeps at most a full cache's worth; the count still says how many arrived, and
    // the oldest of them stay in core's log (Load older, or a filter, brings them back).
    let pending = state.pending;
    appendInPlace(pending, fresh);
    if (pending.length > AUDIT_MAX_ROWS + TRIM_SLACK)
      pending = pending.slice(pending.length - AUDIT_MAX_ROWS);
    set({ pending, pendingCount: state.pendingCount + fresh.length });
  } else {
    appendRows(fresh);
  }
}

// The pane calls this when it opens; the first load happens then.
export function ensureAuditLoaded(): void {
  if (get().load === 'idle') void reloadAudit();
}

// After a reconnect: events may have been missed while the bridge was down.
export async function refreshAudit(): Promise<void> {
  if (get().load !== 'idle') await reloadAudit();
}

// Replaces the cache with the newest page matching the filter. Live events that arrive while the
// query runs are kept, minus those the query returned too.
export async function reloadAudit(): Promise<void> {
  if (!api) return;
  const run = ++generation;
  const { criteria } = get();
  set({
    log: [],
    size: 0,
    pending: [],
    pendingCount: 0,
    load: 'loading',
    loadingOlder: false,
    hasOlder: false,
    error: null,
  });
  try {
    const page = await api.audit.query({ ...criteria, limit: AUDIT_PAGE_SIZE, order: 'desc' });
    if (run !== generation) return;
    const newest = page[0]?.seq ?? 0;
    const state = get();
    const log = page.reverse();
    for (let i = 0; i < state.size; i++) {
      const event = state.log[i]!;
      if (event.seq > newest) log.push(event);
    }
    const pending = state.pending.filter((event) => event.seq > newest);
    set({
      log,
      size: log.length,
      pending,
      pendingCount: pending.length,
      load: 'ready',
      hasOlder: page.length === AUDIT_PAGE_SIZE,
    });
  } catch (error) {
    if (run !== generation) return;
    set({ load: 'ready', error: describeError(error) });
  }
}

// One more page of events older than the oldest cached row.
export async function loadOlderAudit(): Promise<void> {
  const state = get();
  const oldest = state.log[0];
  if (!api || !oldest || state.load !== 'ready' || state.loadingOlder || !state.hasOlder) return;
  if (state.size >= AUDIT_MAX_ROWS) return;
  const run = generation;
  // `to` is exclusive and timestamps stop at milliseconds: ask up to the end of the oldest row's
  // millisecond, then drop the rows already held by their seq.
  const before = new Date(Date.parse(oldest.timestamp) + 1).toISOString();
  const to =
    state.criteria.to !== undefined && Date.parse(state.criteria.to) < Date.parse(before)
      ? state.criteria.to
      : before;
  const limit = Math.min(AUDIT_PAGE_SIZE, AUDIT_MAX_ROWS - state.size);
  set({ loadingOlder: true });
  try {
    const page = await api.audit.query({ ...state.criteria, to, limit, order: 'desc' });
    if (run !== generation) return;
    const older = page.filter((event) => event.seq < oldest.seq).reverse();
    const log = older.concat(get().log);
    set({
      log,
      size: log.length,
      loadingOlder: false,
      // A full page of nothing new (more same-millisecond rows than a page) cannot make progress.
      hasOlder: page.length === limit && older.length > 0,
      error: null,
    });
  } catch (error) {
    if (run !== generation) return;
    set({ loadingOlder: false, error: describeError(error) });
  }
}

export function setAuditFilter(filter: AuditFilter): Promise<void> {
  set({ filter, criteria: toAuditCriteria(filter) });
  return reloadAudit();
}

export function pauseAudit(): void {
  set({ paused: true });
}

// Shows what arrived while paused; nothing is lost.
export function resumeAudit(): void {
  const { pending } = get();
  appendRows(pending);
  set({ paused: false, pending: [], pendingCount: 0 });
}

export function resetAuditStore(): void {
  generation++;
  set(initialState());
}
