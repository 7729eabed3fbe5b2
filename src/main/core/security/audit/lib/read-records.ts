import { join } from 'node:path';
import {
  AUDIT_LIMITS,
  auditEventSchema,
  auditQuerySchema,
  type AuditEvent,
  type AuditQuery,
} from '../../../../../shared/audit';
import { formatZodError } from '../../../../../shared/errors';
import { AuditInputError, AuditRecordError } from '../audit-errors';
import { openSnapshot } from './audit-files';
import { scanLines } from './scan-lines';

export interface StoredRecord {
  event: AuditEvent;
  // The line as it is on disk (without its newline), so a JSONL export keeps the exact bytes.
  line: string;
}

export function parseAuditQuery(
  query: AuditQuery,
): AuditQuery & Required<Pick<AuditQuery, 'limit' | 'order'>> {
  const parsed = auditQuerySchema.safeParse(query);
  if (!parsed.success) throw new AuditInputError(`invalid audit query: ${formatZodError(parsed.error)}`);
  // Newest first unless asked otherwise: what a viewer shows.
  return {
    ...parsed.data,
    limit: parsed.data.limit ?? AUDIT_LIMITS.defaultQueryLimit,
    order: parsed.data.order ?? 'desc',
  };
}

// Reads the log through the event schema and keeps what matches. Every line read must be a valid
// record: a damaged file is an error naming its line, never a crash and never silently skipped.
// Hashes are `audit verify`'s job; this is the viewer's path.
export async function readRecords(dir: string, input: AuditQuery): Promise<StoredRecord[]> {
  const q = parseAuditQuery(input);
  const from = q.from !== undefined ? Date.parse(q.from) : Number.NEGATIVE_INFINITY;
  const to = q.to !== undefined ? Date.parse(q.to) : Number.POSITIVE_INFINITY;
  const matches = (e: AuditEvent): boolean => {
    if (q.event_type !== undefined && e.event_type !== q.event_type) return false;
    if (q.tool_name !== undefined && e.tool_name !== q.tool_name) return false;
    if (q.client_id !== undefined && e.client_id !== q.client_id) return false;
    if (q.contains_pii !== undefined && e.contains_pii !== q.contains_pii) return false;
    if (from !== Number.NEGATIVE_INFINITY || to !== Number.POSITIVE_INFINITY) {
      const t = Date.parse(e.timestamp);
      if (t < from || t >= to) return false;
    }
    return true;
  };

  const snapshot = await openSnapshot(dir);
  try {
    const out: StoredRecord[] = [];
    const newest = snapshot.files.at(-1);
    const files = q.order === 'asc' ? snapshot.files : [...snapshot.files].reverse();
    for (const file of files) {
      const path = join(dir, file.name);
      const found: StoredRecord[] = [];
      let bad: AuditRecordError | undefined;
      const scan = await scanLines(file.handle, (buf, start, end, lineNo) => {
        const line = buf.toString('utf8', start, end);
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          bad = new AuditRecordError(path, lineNo, 'not JSON');
          return false;
        }
        const parsed = auditEventSchema.safeParse(json);
        if (!parsed.success) {
          bad = new AuditRecordError(path, lineNo, formatZodError(parsed.error));
          return false;
        }
        if (!matches(parsed.data)) return true;
        found.push({ event: parsed.data, line });
        // Oldest first can stop as soon as it has enough; newest first must read the whole file.
        return !(q.order === 'asc' && out.length + found.length >= q.limit);
      });
      if (bad) throw bad;
      // In the newest file a partial last line is a write still in flight (or a torn one that the
      // next open sets aside); anywhere else it is damage.
      if (scan.tailBytes > 0 && !scan.stopped && file !== newest)
        throw new AuditRecordError(path, scan.lines + 1, 'cut off mid-write');
      if (q.order === 'desc') found.reverse();
      out.push(...found.slice(0, q.limit - out.length));
      if (out.length >= q.limit) break;
    }
    return out;
  } finally {
    await snapshot.close();
  }
}
