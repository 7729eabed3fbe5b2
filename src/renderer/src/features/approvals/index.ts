export { ApprovalDialog } from './components/ApprovalDialog';
export {
  refreshApprovals,
  resetApprovalsStore,
  startApprovalsSync,
  useApprovalsStore,
} from './lib/approvals-store';
