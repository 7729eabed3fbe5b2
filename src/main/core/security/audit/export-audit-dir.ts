import type { AuditExportFormat, AuditQuery } from '../../../../shared/audit';
import { toCsv } from './lib/csv';
import { readRecords } from './lib/read-records';

// JSONL keeps each record's bytes exactly as logged (hash included), so an export of a whole range
// can still be checked; CSV is for spreadsheets, one row per event under a header row.
export async function exportAuditDir(
  dir: string,
  query: AuditQuery,
  format: AuditExportFormat,
): Promise<string> {
  const records = await readRecords(dir, query);
  if (format === 'csv') return toCsv(records.map((r) => r.event));
  return records.map((r) => `${r.line}\n`).join('');
}
