import type { AuditEvent, AuditQuery } from '../../../../shared/audit';
import { readRecords } from './lib/read-records';

// Events matching the query, validated line by line; read-only, so the CLI can use it while the
// app writes the same folder.
export async function queryAuditDir(dir: string, query: AuditQuery): Promise<AuditEvent[]> {
  return (await readRecords(dir, query)).map((r) => r.event);
}
