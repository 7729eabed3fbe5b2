import type { AuditEvent } from '../../../../../shared/audit';

export const CSV_COLUMNS = [
  'seq',
  'timestamp',
  'event_type',
  'tool_name',
  'user_id',
  'client_id',
  'contains_pii',
  'pii_types',
  'action_taken',
  'parameter_count',
  'server',
  'outcome',
  'detail',
  'duration_ms',
  'prev_hash',
  'hash',
  // Added after the hash so the columns before it keep their places.
  'call_id',
] as const satisfies readonly (keyof AuditEvent)[];

// RFC 4180: quote a field holding a quote, comma or line break, and double its quotes. Text that a
// spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe, since
// tool names and ids can come from remote clients (OWASP "CSV injection").
function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function piiTypesField(types: AuditEvent['pii_types']): string {
  if (!types) return '';
  return Object.entries(types)
    .map(([type, n]) => `${type}:${n}`)
    .join(';');
}

export function toCsv(events: AuditEvent[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const e of events) {
    rows.push(
      CSV_COLUMNS.map((column) =>
        column === 'pii_types' ? csvField(piiTypesField(e.pii_types)) : csvField(e[column]),
      ).join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}
