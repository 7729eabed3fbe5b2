import { memo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { isAttemptEvent, type AuditEvent } from '../../../../../shared/audit';
import { auditRowAt, useAuditStore } from '../lib/audit-store';
import { formatAuditTime, formatDuration, piiTypeLabels } from '../lib/format';
import { useCompactLayout } from '../lib/use-compact-layout';
import { useRowWindow } from '../lib/use-row-window';

// Fixed height: the window is index arithmetic, so 100,000 rows cost what the ~30 visible ones do.
export const AUDIT_ROW_HEIGHT = 30;
// Below this width (the one-line grid's minimum in styles.css, with padding and scrollbar) each
// row takes two lines, so that no column is pushed out of sight and the client id has room.
export const AUDIT_ONE_LINE_MIN_WIDTH = 1240;
export const AUDIT_COMPACT_ROW_HEIGHT = 48;
const OVERSCAN = 12;

const COLUMNS = [
  'Time',
  'Event type',
  'Tool',
  'Server',
  'Client',
  'PII',
  'Action',
  'Outcome',
  'Duration',
  'Seq',
];

// Rows newer than `seq` in an oldest-first, seq-ordered cache (binary search).
function countNewerThan(log: readonly AuditEvent[], size: number, seq: number): number {
  let lo = 0;
  let hi = size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log[mid]!.seq > seq) hi = mid;
    else lo = mid + 1;
  }
  return size - lo;
}

function PiiCell({ event }: { event: AuditEvent }) {
  const labels = piiTypeLabels(event);
  if (labels.length === 0) {
    return (
      <div role="cell">
        {event.contains_pii ? <span className="pii-badge">PII</span> : <span className="muted">—</span>}
      </div>
    );
  }
  return (
    <div role="cell" title={labels.join(', ')}>
      {labels.map((label) => (
        <span key={label} className="pii-badge">
          {label}
        </span>
      ))}
    </div>
  );
}

interface RowProps {
  event: AuditEvent;
  index: number;
  rowHeight: number;
  selected: boolean;
  onSelect: (event: AuditEvent) => void;
}

// A forwarded call is two rows: its attempt (logged before it ran; no outcome of its own) and its
// outcome, both under one call id (see the drawer).
const AuditRow = memo(function AuditRow({ event, index, rowHeight, selected, onSelect }: RowProps) {
  const attempt = isAttemptEvent(event);
  const outcome = event.outcome ?? 'ok';
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      tabIndex={0}
      className={`audit-grid audit-row ${attempt ? 'attempt' : `outcome-${outcome}`}${selected ? ' selected' : ''}`}
      style={{ height: rowHeight, transform: `translateY(${index * rowHeight}px)` }}
      onClick={() => onSelect(event)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect(event);
        }
      }}
    >
      <div role="cell" className="mono">
        {formatAuditTime(event.timestamp)}
      </div>
      <div role="cell">{event.event_type}</div>
      <div role="cell" title={event.tool_name}>
        {event.tool_name}
      </div>
      <div role="cell" title={event.server}>
        {event.server ?? '—'}
      </div>
      <div role="cell" title={event.client_id}>
        {event.client_id}
      </div>
      <PiiCell event={event} />
      <div role="cell">{event.action_taken}</div>
      <div role="cell" className={attempt ? 'outcome' : `outcome outcome-${outcome}`}>
        {attempt ? 'attempt' : (event.outcome ?? '—')}
      </div>
      <div role="cell" className="num">
        {formatDuration(event.duration_ms)}
      </div>
      <div role="cell" className="num mono">
        {event.seq}
      </div>
    </div>
  );
});

// The audit log, newest first, virtualized: only the rows in view (plus a few) are in the DOM.
export function AuditTable({
  selectedSeq,
  onSelect,
}: {
  selectedSeq: number | undefined;
  onSelect: (event: AuditEvent) => void;
}) {
  const { log, size, loading } = useAuditStore(
    useShallow((s) => ({ log: s.log, size: s.size, loading: s.load === 'loading' })),
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const compact = useCompactLayout(tableRef, AUDIT_ONE_LINE_MIN_WIDTH);
  const rowHeight = compact ? AUDIT_COMPACT_ROW_HEIGHT : AUDIT_ROW_HEIGHT;
  // New rows arrive at the top. Someone reading further down keeps their place; someone at the
  // top sees them come in.
  const { first, last, totalHeight } = useRowWindow(scrollRef, {
    rowCount: size,
    rowHeight,
    overscan: OVERSCAN,
    newestKey: log[size - 1]?.seq ?? 0,
    countNewerThan: (seq) => countNewerThan(log, size, seq),
  });

  const rows = [];
  for (let index = first; index <= last; index++) {
    const event = auditRowAt({ log, size }, index);
    if (!event) continue;
    rows.push(
      <AuditRow
        key={event.seq}
        event={event}
        index={index}
        rowHeight={rowHeight}
        selected={event.seq === selectedSeq}
        onSelect={onSelect}
      />,
    );
  }

  return (
    <div
      role="table"
      aria-label="Audit events"
      aria-rowcount={size + 1}
      aria-busy={loading}
      className={compact ? 'audit-table audit-compact' : 'audit-table'}
      ref={tableRef}
    >
      <div role="rowgroup" className="audit-head">
        <div role="row" aria-rowindex={1} className="audit-grid">
          {COLUMNS.map((c) => (
            <div key={c} role="columnheader">
              {c}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" ref={scrollRef} className="audit-body" tabIndex={-1}>
        <div role="none" className="audit-spacer" style={{ height: totalHeight }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
