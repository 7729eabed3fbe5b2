import { isAttemptEvent, type AuditChainStatus, type AuditEvent } from '../../../../shared/audit';
import type { SecurityConfig } from '../../../../shared/security';

export interface SecurityReport {
  period: { from?: string; to?: string; first_event?: string; last_event?: string };
  events: number;
  by_event_type: Record<string, number>;
  by_action: Record<string, number>;
  by_outcome: Record<string, number>;
  calls_with_pii: number;
  pii_types: Record<string, number>;
  top_tools: { tool: string; calls: number; with_pii: number }[];
  clients: { client_id: string; calls: number; refused: number }[];
  // Forwarded calls (an attempt record) with no outcome record: still running, or cut off.
  calls_without_outcome: number;
  audit_chain: { intact: boolean; records: number; seal?: string; problem?: string };
  encryption: { keys: number; stored_in: string };
  policies: { default: string; servers_with_own_policy: number; threshold: number };
  findings: string[];
}

const bump = (into: Record<string, number>, key: string | undefined, n = 1) => {
  if (key !== undefined) into[key] = (into[key] ?? 0) + n;
};

// The guide's generate_security_report, from what the audit log actually holds. A forwarded call
// has an attempt and an outcome record: calls, actions, outcomes and PII are counted from the
// outcomes (and single-record refusals), so each call counts once; `events` and `by_event_type`
// count records. `ownCallId` is the report's own call, whose attempt is in the log while it runs.
export function buildSecurityReport(
  events: readonly AuditEvent[],
  chain: AuditChainStatus,
  config: SecurityConfig,
  keys: { count: number; where: string },
  period: { from?: string; to?: string },
  options: { ownCallId?: string | undefined } = {},
): SecurityReport {
  const byType: Record<string, number> = {};
  const byAction: Record<string, number> = {};
  const byOutcome: Record<string, number> = {};
  const piiTypes: Record<string, number> = {};
  const tools = new Map<string, { calls: number; with_pii: number }>();
  const clients = new Map<string, { calls: number; refused: number }>();
  let withPii = 0;
  const attempts = new Set<string>();
  const outcomes = new Set<string>();
  for (const e of events) {
    bump(byType, e.event_type);
    if (isAttemptEvent(e)) {
      if (e.call_id !== undefined && e.call_id !== options.ownCallId) attempts.add(e.call_id);
      continue;
    }
    if (e.call_id !== undefined) outcomes.add(e.call_id);
    bump(byAction, e.action_taken);
    bump(byOutcome, e.outcome);
    if (e.contains_pii) withPii++;
    for (const [t, n] of Object.entries(e.pii_types ?? {})) bump(piiTypes, t, n);
    if (e.tool_name) {
      const t = tools.get(e.tool_name) ?? { calls: 0, with_pii: 0 };
      t.calls++;
      if (e.contains_pii) t.with_pii++;
      tools.set(e.tool_name, t);
    }
    if (e.client_id) {
      const c = clients.get(e.client_id) ?? { calls: 0, refused: 0 };
      c.calls++;
      if (e.outcome === 'rejected' || e.outcome === 'denied') c.refused++;
      clients.set(e.client_id, c);
    }
  }
  const withoutOutcome = [...attempts].filter((id) => !outcomes.has(id)).length;
  const findings: string[] = [];
  if (!chain.ok && (chain.firstProblem || !chain.seal))
    findings.push(
      `The audit chain is broken${chain.firstProblem ? ` at ${chain.firstProblem.file} line ${chain.firstProblem.line}: ${chain.firstProblem.reason}` : ''}; the log may have been altered.`,
    );
  else if (!chain.ok && chain.seal)
    findings.push(
      `The audit log’s sealed head could not be checked (${chain.seal.state}): ${chain.seal.reason}.`,
    );
  if (config.default.action === 'allow')
    findings.push('The default PII policy is "allow": PII in tool calls passes through in clear text.');
  const rejected = byOutcome.rejected ?? 0;
  if (rejected > 0)
    findings.push(`${rejected} call(s) were refused because they carried PII under a reject policy.`);
  const denied = byOutcome.denied ?? 0;
  if (denied > 0) findings.push(`${denied} call(s) were denied for missing scopes.`);
  const allowedWithPii = events.filter(
    (e) => !isAttemptEvent(e) && e.contains_pii && e.action_taken === 'allowed',
  ).length;
  if (allowedWithPii > 0)
    findings.push(`${allowedWithPii} call(s) let PII through unchanged (policy "allow").`);
  if (withoutOutcome > 0)
    findings.push(
      `${withoutOutcome} call(s) were forwarded with no outcome in the log: still running, or cut off (MCP Dock stopped mid-call, or the outcome could not be written).`,
    );
  if (keys.count === 1)
    findings.push('One Fernet key has been in use since the start; consider rotating it.');
  if (events.length === 0) findings.push('No audit events in this period.');
  return {
    period: {
      ...period,
      ...(events[0] ? { first_event: events[0].timestamp } : {}),
      ...(events.length > 0 ? { last_event: events[events.length - 1]!.timestamp } : {}),
    },
    events: events.length,
    by_event_type: byType,
    by_action: byAction,
    by_outcome: byOutcome,
    calls_with_pii: withPii,
    pii_types: piiTypes,
    top_tools: [...tools.entries()]
      .map(([tool, v]) => ({ tool, ...v }))
      .sort((a, b) => b.calls - a.calls)
      .slice(0, 10),
    clients: [...clients.entries()]
      .map(([client_id, v]) => ({ client_id, ...v }))
      .sort((a, b) => b.calls - a.calls)
      .slice(0, 10),
    calls_without_outcome: withoutOutcome,
    audit_chain: {
      intact: chain.ok,
      records: chain.records,
      ...(chain.seal ? { seal: chain.seal.state } : {}),
      ...(chain.firstProblem
        ? { problem: `${chain.firstProblem.file}:${chain.firstProblem.line} ${chain.firstProblem.reason}` }
        : !chain.ok && chain.seal
          ? { problem: chain.seal.reason }
          : {}),
    },
    encryption: { keys: keys.count, stored_in: keys.where },
    policies: {
      default: config.default.action,
      servers_with_own_policy: Object.keys(config.servers).length,
      threshold: config.threshold,
    },
    findings,
  };
}
