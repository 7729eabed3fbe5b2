import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../app/App';
import { startSync } from '../../../app/start';
import { createPreloadStub } from '../../../common/mocks/preload-stub';
import { connectToDock } from '../../../lib/dock-client';
import { resetConnectionStore } from '../../connection';
import { resetEngineStore } from '../../engine';
import { resetServersStore } from '../../servers';
import { resetTokensStore } from '../../tokens';
import { receiveAuditEvents, resetAuditStore, useAuditStore } from '../lib/audit-store';
import { CHAIN_RECHECK_MS, resetChainStore } from '../lib/chain-store';
import type { AuditChainStatus } from '../../../../../shared/audit';
import { auditEvent, auditRange } from './audit-fixtures';

let stop: (() => void) | undefined;
beforeEach(() => {
  resetEngineStore();
  resetConnectionStore();
  resetServersStore();
  resetTokensStore();
  resetAuditStore();
  resetChainStore();
  window.location.hash = '#audit';
  // jsdom lays nothing out: give the table's scroll area a 600 px viewport (20 rows).
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1000);
});
afterEach(() => {
  stop?.();
  delete window.mcpDock;
  window.location.hash = '';
});

function mount(setup?: (stub: ReturnType<typeof createPreloadStub>) => void) {
  const stub = createPreloadStub();
  setup?.(stub);
  window.mcpDock = stub.raw;
  const connection = connectToDock(window);
  stop = startSync(connection);
  render(<App />);
  return stub;
}

const bodyRows = (table: HTMLElement) => within(table).getAllByRole('row').slice(1);
const chainStatus = () => screen.getByRole('status', { name: 'Audit chain' });

describe('Audit pane', () => {
  it('lists events newest first with their PII types, and opens one in full', async () => {
    mount((stub) =>
      stub.setAuditEvents([
        auditEvent(2, {
          contains_pii: true,
          pii_types: { EMAIL_ADDRESS: 1, PHONE_NUMBER: 2 },
          action_taken: 'masked',
          tool_name: 'send_mail',
        }),
        auditEvent(1),
      ]),
    );
    expect(await screen.findByRole('heading', { name: 'Audit', level: 1 })).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Audit events' });
    await within(table).findByText('send_mail');
    const [first, second] = bodyRows(table);
    expect(within(first!).getByText('EMAIL_ADDRESS×1')).toBeTruthy();
    expect(within(first!).getByText('PHONE_NUMBER×2')).toBeTruthy();
    expect(within(first!).getByText('masked')).toBeTruthy();
    expect(within(second!).getAllByRole('cell').at(-1)!.textContent).toBe('1');

    await userEvent.click(first!);
    const drawer = screen.getByRole('complementary', { name: 'Audit event 2' });
    expect(within(drawer).getByText(auditEvent(2).hash)).toBeTruthy();
    expect(within(drawer).getByText(auditEvent(2).prev_hash)).toBeTruthy();
    await userEvent.click(within(drawer).getByRole('button', { name: 'Close event details' }));
    expect(screen.queryByRole('complementary', { name: 'Audit event 2' })).toBeNull();
  });

  it('renders only the visible rows of 100,000', async () => {
    mount();
    await screen.findByText(/No audit events match/);
    act(() => receiveAuditEvents(auditRange(1, 100_000)));
    const table = screen.getByRole('table', { name: 'Audit events' });
    expect(table.getAttribute('aria-rowcount')).toBe('100001');
    expect(screen.getByText('100,000 events')).toBeTruthy();
    const rendered = bodyRows(table);
    expect(rendered.length).toBeGreaterThanOrEqual(20);
    expect(rendered.length).toBeLessThan(60);
    expect(within(rendered[0]!).getAllByRole('cell').at(-1)!.textContent).toBe('100000');
    // A live batch on top of them still renders a handful of rows.
    act(() => receiveAuditEvents(auditRange(100_001, 100_050)));
    expect(bodyRows(table).length).toBeLessThan(60);
    expect(screen.getByText('100,050 events')).toBeTruthy();
  });

  it('keeps a reader scrolled down on the same rows while new ones arrive on top', async () => {
    mount();
    await screen.findByText(/No audit events match/);
    act(() => receiveAuditEvents(auditRange(1, 1_000)));
    const table = screen.getByRole('table', { name: 'Audit events' });
    const body = table.querySelector<HTMLElement>('.audit-body')!;
    // Row 100 (seq 900) at the top edge.
    act(() => {
      body.scrollTop = 100 * 30;
      body.dispatchEvent(new Event('scroll'));
    });
    const rowOf = (seq: number) =>
      bodyRows(table).find((r) => within(r).getAllByRole('cell').at(-1)!.textContent === String(seq));
    const read = rowOf(900)!;
    expect(read.style.transform).toBe('translateY(3000px)');
    expect(rowOf(1_000)).toBeUndefined();

    act(() => receiveAuditEvents(auditRange(1_001, 1_005)));
    expect(body.scrollTop).toBe(105 * 30);
    // The same element, moved: rows in view are not mounted anew for a batch.
    expect(rowOf(900)).toBe(read);
    expect(read.style.transform).toBe('translateY(3150px)');
    expect(rowOf(1_005)).toBeUndefined();

    // At the top, new rows come into view instead.
    act(() => {
      body.scrollTop = 0;
      body.dispatchEvent(new Event('scroll'));
    });
    act(() => receiveAuditEvents(auditRange(1_006, 1_007)));
    expect(body.scrollTop).toBe(0);
    expect(rowOf(1_007)!.style.transform).toBe('translateY(0px)');
  });

  it('shows live events, and holds them while paused', async () => {
    const stub = mount((s) => s.setAuditEvents([auditEvent(1)]));
    const table = screen.getByRole('table', { name: 'Audit events' });
    await within(table).findByText('1');
    act(() => stub.pushAuditEvents([auditEvent(2, { tool_name: 'live_tool' })]));
    expect(within(table).getByText('live_tool')).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Pause' }));
    act(() => stub.pushAuditEvents(auditRange(3, 14, { tool_name: 'while_paused' })));
    expect(screen.getByText('12 new')).toBeTruthy();
    expect(within(table).queryByText('while_paused')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Resume' }));
    expect(within(table).getAllByText('while_paused')).toHaveLength(12);
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
  });

  it('says the chain is intact, or where it broke, and re-verifies', async () => {
    const stub = mount((s) =>
      s.raw.audit.verify.mockResolvedValueOnce({
        ok: true,
        value: { ok: true, records: 1234, files: 2, head: 'a'.repeat(64) },
      }),
    );
    await vi.waitFor(() => expect(chainStatus().textContent).toBe('Chain intact · 1,234 records'));
    expect(chainStatus().getAttribute('data-state')).toBe('intact');

    stub.raw.audit.verify.mockResolvedValueOnce({
      ok: true,
      value: {
        ok: false,
        records: 16,
        files: 1,
        head: 'b'.repeat(64),
        firstProblem: { file: '2026-11-22.jsonl', line: 17, seq: 17, reason: 'hash mismatch' },
      },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Re-verify' }));
    await vi.waitFor(() =>
      expect(chainStatus().textContent).toContain('Chain broken at 2026-11-22.jsonl:17 (hash mismatch)'),
    );
    expect(chainStatus().getAttribute('data-state')).toBe('broken');
    expect(stub.raw.audit.verify).toHaveBeenCalledTimes(2);

    stub.raw.audit.verify.mockResolvedValueOnce({
      ok: false,
      error: { code: 'AUDIT_FAILED', message: 'cannot read the audit folder' },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Re-verify' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Cannot read the audit folder.');
  });

  it('keeps the chain badge current while events arrive, re-verifying at most once a second', async () => {
    const sealedAt = (records: number) => ({
      ok: true as const,
      value: {
        ok: true,
        records,
        files: 1,
        head: 'c'.repeat(64),
        seal: { state: 'sealed', seq: records, hash: 'c'.repeat(64), after: 0, reason: '' },
      } satisfies AuditChainStatus,
    });
    const stub = mount((s) => {
      s.setAuditEvents([auditEvent(1)]);
      s.raw.audit.verify.mockResolvedValueOnce(sealedAt(1));
    });
    await vi.waitFor(() => expect(chainStatus().textContent).toBe('Chain intact · 1 records'));
    stub.raw.audit.verify.mockResolvedValue(sealedAt(3));

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      act(() => stub.pushAuditEvents([auditEvent(2)]));
      act(() => stub.pushAuditEvents([auditEvent(3)]));
      // At once: the badge says what it has not checked yet, instead of a count that is old.
      expect(chainStatus().textContent).toBe('Chain intact · 1 records · 2 newer not verified yet');
      expect(stub.raw.audit.verify).toHaveBeenCalledTimes(1);
      // One verify for the lot, not one per batch.
      await act(() => vi.advanceTimersByTimeAsync(CHAIN_RECHECK_MS));
    } finally {
      vi.useRealTimers();
    }
    await vi.waitFor(() => expect(chainStatus().textContent).toBe('Chain intact · 3 records'));
    expect(stub.raw.audit.verify).toHaveBeenCalledTimes(2);
  });

  it('says when the head is not sealed or cannot be checked, never "intact"', async () => {
    mount((s) =>
      s.raw.audit.verify.mockResolvedValueOnce({
        ok: true,
        value: {
          ok: false,
          records: 7,
          files: 1,
          head: 'd'.repeat(64),
          seal: { state: 'unverifiable', reason: 'the key is in the OS keychain' },
        },
      }),
    );
    await vi.waitFor(() =>
      expect(chainStatus().textContent).toBe(
        '⚠Head not verified · 7 records chain correctly (the key is in the OS keychain)',
      ),
    );
    expect(chainStatus().getAttribute('data-state')).toBe('unverified');
  });

  it('shows the call id that links a call’s attempt and outcome', async () => {
    const id = '6f1c3a5e-2b7d-4c1e-9a0b-1d2e3f405162';
    mount((s) =>
      s.setAuditEvents([
        auditEvent(2, { call_id: id }),
        auditEvent(1, { event_type: 'tool_call_attempt', call_id: id, outcome: undefined }),
      ]),
    );
    const table = screen.getByRole('table', { name: 'Audit events' });
    await within(table).findByText('tool_call_attempt');
    const [outcome, attempt] = bodyRows(table);
    expect(attempt!.className).toContain('attempt');
    expect(within(attempt!).getAllByRole('cell')[7]!.textContent).toBe('attempt');
    await userEvent.click(outcome!);
    const drawer = screen.getByRole('complementary', { name: 'Audit event 2' });
    expect(within(drawer).getByText(id)).toBeTruthy();
  });

  it('filters through core and exports what the filter selects', async () => {
    const stub = mount();
    await screen.findByText(/No audit events match/);
    await userEvent.type(screen.getByLabelText('Tool'), 'search');
    await userEvent.selectOptions(screen.getByLabelText('Contains PII'), 'yes');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(stub.raw.audit.query).toHaveBeenLastCalledWith({
      tool_name: 'search',
      contains_pii: true,
      limit: 10_000,
      order: 'desc',
    });

    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:mcp-dock/1';
    });
    URL.revokeObjectURL = vi.fn();
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    stub.raw.audit.export.mockResolvedValueOnce({ ok: true, value: 'seq,timestamp\n1,2026\n' });
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(stub.raw.audit.export).toHaveBeenCalledWith({
      query: { tool_name: 'search', contains_pii: true, limit: 100_000, order: 'asc' },
      format: 'csv',
    });
    await vi.waitFor(() => expect(clicked).toHaveLength(1));
    expect(clicked[0]!.download).toMatch(/^mcp-dock-audit-.*\.csv$/);
    expect(clicked[0]!.href).toBe('blob:mcp-dock/1');
    expect(await created[0]!.text()).toBe('seq,timestamp\n1,2026\n');
    expect(created[0]!.type).toBe('text/csv');

    stub.raw.audit.export.mockResolvedValueOnce({
      ok: false,
      error: { code: 'AUDIT_FAILED', message: 'audit/x.jsonl line 2: not JSON' },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Export JSONL' }));
    expect((await screen.findByRole('alert')).textContent).toBe('audit/x.jsonl line 2: not JSON.');
    expect(stub.raw.audit.export).toHaveBeenLastCalledWith({
      query: { tool_name: 'search', contains_pii: true, limit: 100_000, order: 'asc' },
      format: 'jsonl',
    });
    expect(useAuditStore.getState().criteria).toEqual({ tool_name: 'search', contains_pii: true });
  });
});
