import type { SecurityAudit } from './open-security';

// A connection an allow-listed server's proxy refused, for the audit log: which server, where to;
// never what it tried to send.
export async function auditEgress(
  security: { audit: Pick<SecurityAudit, 'append'> },
  event: { server: string; event: 'allowed' | 'denied'; host: string; port: number },
): Promise<void> {
  if (event.event !== 'denied') return;
  await security.audit
    .append({
      event_type: 'egress_denied',
      tool_name: `${event.host}:${event.port}`,
      server: event.server,
      user_id: 'server',
      client_id: 'egress-proxy',
      contains_pii: false,
      action_taken: 'denied',
      parameter_count: 0,
      detail: `${event.host}:${event.port} is not on ${event.server}'s egress allow-list`,
    })
    .catch(() => undefined);
}
