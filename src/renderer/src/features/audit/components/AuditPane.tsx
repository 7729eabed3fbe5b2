import { useCallback, useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AuditEvent } from '../../../../../shared/audit';
import { ErrorNote } from '../../../common/ErrorNote';
import { isFiltered } from '../lib/audit-filter';
import {
  AUDIT_MAX_ROWS,
  ensureAuditLoaded,
  loadOlderAudit,
  pauseAudit,
  resumeAudit,
  useAuditStore,
} from '../lib/audit-store';
import { ensureChainVerified, watchChain } from '../lib/chain-store';
import { AuditEventDrawer } from './AuditEventDrawer';
import { AuditFilters } from './AuditFilters';
import { AuditTable } from './AuditTable';
import { ChainBadge } from './ChainBadge';
import { ExportButtons } from './ExportButtons';

const count = (n: number) => n.toLocaleString('en-US');

function LiveControls() {
  const { paused, pendingCount, size, load, filtered } = useAuditStore(
    useShallow((s) => ({
      paused: s.paused,
      pendingCount: s.pendingCount,
      size: s.size,
      load: s.load,
      filtered: isFiltered(s.filter),
    })),
  );
  return (
    <div className="audit-live">
      <span className={paused ? 'live-dot paused' : 'live-dot'} aria-hidden="true" />
      <span className="small">
        {load === 'loading'
          ? 'Loading…'
          : `${count(size)} ${size === 1 ? 'event' : 'events'}${filtered ? ' matching the filter' : ''}`}
      </span>
      {paused ? (
        <>
          <button type="button" onClick={resumeAudit}>
            Resume
          </button>
          <span role="status" className="pending-count">
            {pendingCount > 0 ? `${count(pendingCount)} new` : 'Paused'}
          </span>
        </>
      ) : (
        <button type="button" className="secondary" onClick={pauseAudit}>
          Pause
        </button>
      )}
    </div>
  );
}

function TableFooter() {
  const { size, load, hasOlder, loadingOlder } = useAuditStore(
    useShallow((s) => ({ size: s.size, load: s.load, hasOlder: s.hasOlder, loadingOlder: s.loadingOlder })),
  );
  if (load !== 'ready') return null;
  if (size === 0)
    return <p className="muted">No audit events match. Tool calls through MCP Dock appear here live.</p>;
  if (!hasOlder) return null;
  if (size >= AUDIT_MAX_ROWS) {
    return (
      <p className="muted small">
        Showing the newest {count(AUDIT_MAX_ROWS)} events. Narrow the filter, or export, to see older ones.
      </p>
    );
  }
  return (
    <div className="button-row">
      <button
        type="button"
        className="secondary"
        disabled={loadingOlder}
        onClick={() => void loadOlderAudit()}
      >
        {loadingOlder ? 'Loading older events…' : 'Load older events'}
      </button>
    </div>
  );
}

// The audit log: live, filterable, virtualized, with the chain's state and exports.
export function AuditPane() {
  const error = useAuditStore((s) => s.error);
  const [selected, setSelected] = useState<AuditEvent | null>(null);
  const close = useCallback(() => setSelected(null), []);
  useEffect(() => {
    ensureAuditLoaded();
    ensureChainVerified();
    return watchChain();
  }, []);
  return (
    <div className="pane audit-pane">
      <header className="pane-header audit-header">
        <h1>Audit</h1>
        <ChainBadge />
      </header>
      <AuditFilters />
      <div className="audit-toolbar">
        <LiveControls />
        <ExportButtons />
      </div>
      <ErrorNote message={error} />
      <AuditTable selectedSeq={selected?.seq} onSelect={setSelected} />
      <TableFooter />
      {selected && <AuditEventDrawer event={selected} onClose={close} />}
    </div>
  );
}
