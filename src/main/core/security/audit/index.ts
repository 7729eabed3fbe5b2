// The audit log: its writer, and the read-only operations the CLI uses on a folder directly.
export {
  AuditLog,
  DEFAULT_AUDIT_MAX_FILE_BYTES,
  type AuditListener,
  type AuditLogOptions,
} from './audit-log';
export { AuditFailedError, AuditRecordError } from './audit-errors';
export { exportAuditDir } from './export-audit-dir';
export { queryAuditDir } from './query-audit-dir';
export { verifyAuditDir } from './verify-audit-dir';
export type { RecoveredTail } from './lib/recover-tail';
