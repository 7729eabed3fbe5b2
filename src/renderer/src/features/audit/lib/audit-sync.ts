import type { DockApi } from '../../../../../shared/contract';
import { receiveAuditEvents, setAuditApi } from './audit-store';
import { noteAuditEvents } from './chain-store';

// Called once by startSync: live batches go to the module-level actions, whichever pane is open:
// the table's cache, and the chain badge (which must know what it has not verified yet).
export function startAuditSync(dock: DockApi): () => void {
  setAuditApi(dock);
  return dock.audit.onEvents((batch) => {
    receiveAuditEvents(batch);
    noteAuditEvents(batch);
  });
}
