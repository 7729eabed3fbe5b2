import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../../../shared/audit';
import type { Envelope } from '../../../../../shared/contract-kit';
import { createPreloadStub } from '../../../common/mocks/preload-stub';
import { connectToDock } from '../../../lib/dock-client';
import { EMPTY_AUDIT_FILTER } from '../lib/audit-filter';
import {
  AUDIT_MAX_ROWS,
  AUDIT_PAGE_SIZE,
  auditRowsNewestFirst,
  ensureAuditLoaded,
  loadOlderAudit,
  pauseAudit,
  receiveAuditEvents,
  reloadAudit,
  resetAuditStore,
  resumeAudit,
  setAuditFilter,
  useAuditStore,
} from '../lib/audit-store';
import { startAuditSync } from '../lib/audit-sync';
import { auditEvent, auditRange, seqs } from './audit-fixtures';

let stop: (() => void) | undefined;
let stub: ReturnType<typeof createPreloadStub>;

beforeEach(() => {
  resetAuditStore();
  stub = createPreloadStub();
  stop = startAuditSync(connectToDock({ mcpDock: stub.raw } as unknown as Window).api);
});
afterEach(() => stop?.());

const rows = () => seqs(auditRowsNewestFirst());

async function loadWith(newestFirst: AuditEvent[]) {
  stub.setAuditEvents(newestFirst);
  await reloadAudit();
}

describe('audit store', () => {
  it('keeps nothing until the pane first opens, then loads the newest page', async () => {
    stub.pushAuditEvents([auditEvent(1)]);
    expect(useAuditStore.getState().size).toBe(0);
    stub.setAuditEvents(auditRange(1, 3).reverse());
    ensureAuditLoaded();
    await expect.poll(() => useAuditStore.getState().load).toBe('ready');
    expect(stub.raw.audit.query).toHaveBeenCalledWith({ limit: AUDIT_PAGE_SIZE, order: 'desc' });
    expect(rows()).toEqual([3, 2, 1]);
    expect(useAuditStore.getState().hasOlder).toBe(false);
  });

  it('puts live batches on top, appending in place, and skips events it already holds', async () => {
    await loadWith(auditRange(1, 3).reverse());
    const before = useAuditStore.getState().log;
    stub.pushAuditEvents(auditRange(4, 5));
    stub.pushAuditEvents([auditEvent(5), auditEvent(6)]);
    expect(rows()).toEqual([6, 5, 4, 3, 2, 1]);
    // The same array grew: a batch costs its own length, not a copy of the cache.
    expect(useAuditStore.getState().log).toBe(before);
  });

  it('counts events while paused and shows them all on resume', async () => {
    await loadWith(auditRange(1, 2).reverse());
    pauseAudit();
    stub.pushAuditEvents([auditEvent(3)]);
    stub.pushAuditEvents(auditRange(4, 14));
    expect(useAuditStore.getState().pendingCount).toBe(12);
    expect(rows()).toEqual([2, 1]);
    resumeAudit();
    const state = useAuditStore.getState();
    expect(state.paused).toBe(false);
    expect(state.pendingCount).toBe(0);
    expect(rows()).toEqual(seqs(auditRange(1, 14)).reverse());
  });

  it('sends the filter to core and holds live events to it', async () => {
    stub.setAuditEvents([auditEvent(2, { contains_pii: true, pii_types: { EMAIL_ADDRESS: 1 } })]);
    await setAuditFilter({
      ...EMPTY_AUDIT_FILTER,
      tool: 'search',
      pii: 'yes',
      from: '2026-11-22T00:00',
      to: '2100-01-01T00:00',
    });
    expect(stub.raw.audit.query).toHaveBeenLastCalledWith({
      from: new Date('2026-11-22T00:00').toISOString(),
      to: new Date('2100-01-01T00:00').toISOString(),
      tool_name: 'search',
      contains_pii: true,
      limit: AUDIT_PAGE_SIZE,
      order: 'desc',
    });
    stub.pushAuditEvents([
      auditEvent(3, { contains_pii: true }),
      auditEvent(4, { contains_pii: false }),
      auditEvent(5, { contains_pii: true, tool_name: 'fetch' }),
      auditEvent(6, { contains_pii: true, timestamp: '2101-01-01T00:00:00.000Z' }),
      auditEvent(7, { contains_pii: true }),
    ]);
    expect(rows()).toEqual([7, 3, 2]);
  });

  it('keeps live events that arrive while the query runs, without doubles', async () => {
    let answer: (value: Envelope) => void = () => undefined;
    stub.raw.audit.query.mockImplementationOnce(() => new Promise<Envelope>((resolve) => (answer = resolve)));
    const loading = reloadAudit();
    stub.pushAuditEvents(auditRange(3, 4));
    answer({ ok: true, value: auditRange(1, 3).reverse() });
    await loading;
    expect(rows()).toEqual([4, 3, 2, 1]);
  });

  it('never holds more than AUDIT_MAX_ROWS, dropping the oldest', async () => {
    await loadWith([]);
    receiveAuditEvents(auditRange(1, AUDIT_MAX_ROWS + 20_000));
    const state = useAuditStore.getState();
    expect(state.size).toBe(AUDIT_MAX_ROWS);
    expect(state.log[0]!.seq).toBe(20_001);
    expect(state.log[state.size - 1]!.seq).toBe(AUDIT_MAX_ROWS + 20_000);
    expect(state.hasOlder).toBe(true);
  });

  it('keeps counting through a pause longer than the cache is big', async () => {
    await loadWith([]);
    pauseAudit();
    receiveAuditEvents(auditRange(1, AUDIT_MAX_ROWS + 20_000));
    expect(useAuditStore.getState().pendingCount).toBe(AUDIT_MAX_ROWS + 20_000);
    expect(useAuditStore.getState().pending).toHaveLength(AUDIT_MAX_ROWS);
    resumeAudit();
    const state = useAuditStore.getState();
    expect(state.size).toBe(AUDIT_MAX_ROWS);
    expect(state.log[state.size - 1]!.seq).toBe(AUDIT_MAX_ROWS + 20_000);
  });

  it('loads older events on demand, continuing from the oldest row', async () => {
    await loadWith(auditRange(AUDIT_PAGE_SIZE + 1, 2 * AUDIT_PAGE_SIZE).reverse());
    expect(useAuditStore.getState().hasOlder).toBe(true);
    const oldest = auditEvent(AUDIT_PAGE_SIZE + 1);
    stub.raw.audit.query.mockResolvedValueOnce({
      ok: true,
      // The oldest row's own millisecond comes back too; it is not doubled.
      value: [oldest, ...auditRange(1, 5).reverse()],
    });
    await loadOlderAudit();
    expect(stub.raw.audit.query).toHaveBeenLastCalledWith({
      to: new Date(Date.parse(oldest.timestamp) + 1).toISOString(),
      limit: AUDIT_PAGE_SIZE,
      order: 'desc',
    });
    const all = rows();
    expect(all).toHaveLength(AUDIT_PAGE_SIZE + 5);
    expect(all.slice(-6)).toEqual([AUDIT_PAGE_SIZE + 1, 5, 4, 3, 2, 1]);
    expect(useAuditStore.getState().hasOlder).toBe(false);
  });

  it('reports a failed query as a sentence, without its code', async () => {
    stub.raw.audit.query.mockResolvedValueOnce({
      ok: false,
      error: { code: 'AUDIT_FAILED', message: 'audit/2026-11-22.jsonl line 3: not JSON' },
    });
    await reloadAudit();
    expect(useAuditStore.getState().error).toBe('audit/2026-11-22.jsonl line 3: not JSON.');
  });

  it('resets, and drops the answer to a query made before the reset', async () => {
    await loadWith(auditRange(1, 3).reverse());
    pauseAudit();
    stub.pushAuditEvents([auditEvent(4)]);
    const late = reloadAudit();
    resetAuditStore();
    await late;
    const state = useAuditStore.getState();
    expect(state).toMatchObject({ size: 0, pendingCount: 0, paused: false, load: 'idle', error: null });
    expect(state.filter).toEqual(EMPTY_AUDIT_FILTER);
    stub.pushAuditEvents([auditEvent(5)]);
    expect(useAuditStore.getState().size).toBe(0);
  });
});
