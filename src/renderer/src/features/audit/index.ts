export { AuditPane } from './components/AuditPane';
export { startAuditSync } from './lib/audit-sync';
export { refreshAudit, receiveAuditEvents, resetAuditStore, useAuditStore } from './lib/audit-store';
export { resetChainStore, useChainStore } from './lib/chain-store';
