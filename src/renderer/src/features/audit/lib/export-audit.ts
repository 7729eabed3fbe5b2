import { AUDIT_LIMITS, type AuditExportFormat, type AuditQuery } from '../../../../../shared/audit';
import { auditApi, useAuditStore } from './audit-store';
import { downloadText } from './download';

const MIME: Record<AuditExportFormat, string> = {
  jsonl: 'application/x-ndjson',
  csv: 'text/csv',
};

function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

// The export's query: the pane's filter, oldest first (so a JSONL export of a range can be checked
// link by link), as many events as one query may return.
export function exportQuery(): AuditQuery {
  return { ...useAuditStore.getState().criteria, limit: AUDIT_LIMITS.queryLimit, order: 'asc' };
}

// Core renders the file (JSONL keeps each record's exact bytes); the renderer only saves it.
export async function exportAuditLog(format: AuditExportFormat, now: Date = new Date()): Promise<string> {
  const text = await auditApi().audit.export({ query: exportQuery(), format });
  const filename = `mcp-dock-audit-${stamp(now)}.${format}`;
  downloadText(filename, text, MIME[format]);
  return filename;
}
