// The audit log: its writer, and the read-only operations the CLI uses on a folder directly.
export {
  AuditLog,
  APP_SEAL_DELAY_MS,
  DEFAULT_AUDIT_MAX_FILE_BYTES,
  type AuditIo,
  type AuditListener,
  type AuditLogOptions,
} from './audit-log';
export { AuditFailedError, AuditInputError, AuditRecordError, AuditSealError } from './audit-errors';
export { exportAuditDir } from './export-audit-dir';
export { queryAuditDir } from './query-audit-dir';
export { readSealKey } from './read-seal-key';
export { lookupSealKey, secretStoreSealKeys, type AuditSealKeys, type SealKeyLookup } from './seal-keys';
export { verifyAuditDir, type VerifyAuditOptions } from './verify-audit-dir';
export type { RecoveredTail } from './lib/recover-tail';
