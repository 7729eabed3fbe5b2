import type { AuditEvent, AuditQuery } from '../../../../../shared/audit';

// The filter as the form holds it. Empty strings mean "any"; times are the browser's
// `datetime-local` values (local time, no zone), turned into UTC instants only for the query.
export interface AuditFilter {
  from: string;
  to: string;
  eventType: string;
  tool: string;
  client: string;
  pii: 'any' | 'yes' | 'no';
}

export const EMPTY_AUDIT_FILTER: AuditFilter = {
  from: '',
  to: '',
  eventType: '',
  tool: '',
  client: '',
  pii: 'any',
};

// The filter part of an AuditQuery (no limit, no order): what goes to core and what live events
// are held to.
export type AuditCriteria = Omit<AuditQuery, 'limit' | 'order'>;

function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

export function toAuditCriteria(filter: AuditFilter): AuditCriteria {
  const criteria: AuditCriteria = {};
  const from = localToIso(filter.from);
  const to = localToIso(filter.to);
  if (from) criteria.from = from;
  if (to) criteria.to = to;
  if (filter.eventType.trim()) criteria.event_type = filter.eventType.trim();
  if (filter.tool.trim()) criteria.tool_name = filter.tool.trim();
  if (filter.client.trim()) criteria.client_id = filter.client.trim();
  if (filter.pii !== 'any') criteria.contains_pii = filter.pii === 'yes';
  return criteria;
}

export function isFiltered(filter: AuditFilter): boolean {
  return Object.keys(toAuditCriteria(filter)).length > 0;
}

// The same test core applies in its query (exact names, `from` inclusive, `to` exclusive), so a
// live event shows up exactly when a fresh query would have returned it.
export function matchesAuditCriteria(event: AuditEvent, criteria: AuditCriteria): boolean {
  if (criteria.event_type !== undefined && event.event_type !== criteria.event_type) return false;
  if (criteria.tool_name !== undefined && event.tool_name !== criteria.tool_name) return false;
  if (criteria.client_id !== undefined && event.client_id !== criteria.client_id) return false;
  if (criteria.contains_pii !== undefined && event.contains_pii !== criteria.contains_pii) return false;
  if (criteria.from !== undefined || criteria.to !== undefined) {
    const at = Date.parse(event.timestamp);
    if (criteria.from !== undefined && at < Date.parse(criteria.from)) return false;
    if (criteria.to !== undefined && at >= Date.parse(criteria.to)) return false;
  }
  return true;
}
