import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS_HASH, type AuditChainStatus, type AuditEvent } from '../../../../shared/audit';
import { securityConfigSchema } from '../../../../shared/security';
import { buildSecurityReport } from './security-report';

const hex = (n: number) => n.toString(16).padStart(64, '0');
let seq = 0;
function record(fields: Partial<AuditEvent>): AuditEvent {
  seq += 1;
  return {
    seq,
    timestamp: new Date(Date.UTC(2025, 2, 1, 10, 0, seq)).toISOString(),
    event_type: 'tool_call',
    tool_name: 'search',
    user_id: 'u',
    client_id: 'cursor',
    contains_pii: false,
    action_taken: 'allowed',
    parameter_count: 1,
    prev_hash: hex(seq - 1),
    hash: hex(seq),
    ...fields,
  };
}

// One forwarded call as secureTool logs it: the attempt, then the outcome, under one call id.
function call(id: string, tool: string, outcome: Partial<AuditEvent> = {}): AuditEvent[] {
  return [
    record({ event_type: 'tool_call_attempt', tool_name: tool, call_id: id }),
    record({ tool_name: tool, call_id: id, outcome: 'ok', ...outcome }),
  ];
}

const sealed: AuditChainStatus = {
  ok: true,
  records: 9,
  files: 1,
  head: AUDIT_GENESIS_HASH,
  seal: { state: 'sealed', seq: 9, hash: AUDIT_GENESIS_HASH, after: 0, reason: '' },
};
const config = securityConfigSchema.parse({});
const keys = { count: 2, where: 'the secret store' };

describe('buildSecurityReport', () => {
  it('counts each call once, by its outcome, and names calls that have no outcome', () => {
    const events = [
      ...call('a', 'search'),
      ...call('b', 'search', { contains_pii: true, pii_types: { EMAIL_ADDRESS: 1 }, action_taken: 'masked' }),
      ...call('c', 'send_mail', { outcome: 'error' }),
      // Refused before it ran: one record, no attempt.
      record({ tool_name: 'send_mail', action_taken: 'denied', outcome: 'denied' }),
      // Forwarded, then nothing: the app stopped, or the outcome could not be written.
      record({ event_type: 'tool_call_attempt', tool_name: 'delete_repo', call_id: 'd' }),
      // The report's own call, running while the report is made.
      record({ event_type: 'tool_call_attempt', tool_name: 'generate_security_report', call_id: 'self' }),
    ];
    const report = buildSecurityReport(events, sealed, config, keys, {}, { ownCallId: 'self' });
    expect(report.events).toBe(9);
    expect(report.by_event_type).toEqual({ tool_call: 4, tool_call_attempt: 5 });
    expect(report.by_outcome).toEqual({ ok: 2, error: 1, denied: 1 });
    expect(report.by_action).toEqual({ allowed: 2, masked: 1, denied: 1 });
    expect(report.calls_with_pii).toBe(1);
    expect(report.pii_types).toEqual({ EMAIL_ADDRESS: 1 });
    expect(report.top_tools).toEqual([
      { tool: 'search', calls: 2, with_pii: 1 },
      { tool: 'send_mail', calls: 2, with_pii: 0 },
    ]);
    expect(report.clients).toEqual([{ client_id: 'cursor', calls: 4, refused: 1 }]);
    expect(report.calls_without_outcome).toBe(1);
    expect(report.findings).toContain(
      '1 call(s) were forwarded with no outcome in the log: still running, or cut off (MCP Dock stopped mid-call, or the outcome could not be written).',
    );
  });

  it('says when the head is not sealed or cannot be checked, not only when the chain broke', () => {
    const report = buildSecurityReport(
      [],
      {
        ok: false,
        records: 0,
        files: 1,
        head: AUDIT_GENESIS_HASH,
        seal: { state: 'unverifiable', reason: 'the key is in the OS keychain' },
      },
      config,
      keys,
      {},
    );
    expect(report.audit_chain).toEqual({
      intact: false,
      records: 0,
      seal: 'unverifiable',
      problem: 'the key is in the OS keychain',
    });
    expect(report.findings[0]).toBe(
      'The audit log’s sealed head could not be checked (unverifiable): the key is in the OS keychain.',
    );
  });
});
