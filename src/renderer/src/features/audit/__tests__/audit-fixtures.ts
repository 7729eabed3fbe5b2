import type { AuditEvent } from '../../../../../shared/audit';

const BASE = Date.UTC(2026, 10, 22, 9, 0, 0);
const hex = (n: number) => n.toString(16).padStart(64, '0');

// A valid record (it passes the contract's schema): one second apart per seq, chained by fake hashes.
export function auditEvent(seq: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    seq,
    timestamp: new Date(BASE + seq * 1000).toISOString(),
    event_type: 'tool_call',
    tool_name: 'search',
    user_id: 'user-1',
    client_id: 'cursor',
    contains_pii: false,
    action_taken: 'allowed',
    parameter_count: 1,
    server: 'context7',
    outcome: 'ok',
    duration_ms: 12,
    prev_hash: hex(seq - 1),
    hash: hex(seq),
    ...overrides,
  };
}

// Events `from`..`to` inclusive, oldest first (a live batch's order).
export function auditRange(from: number, to: number, overrides: Partial<AuditEvent> = {}): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (let seq = from; seq <= to; seq++) out.push(auditEvent(seq, overrides));
  return out;
}

export const seqs = (events: readonly AuditEvent[]) => events.map((e) => e.seq);
