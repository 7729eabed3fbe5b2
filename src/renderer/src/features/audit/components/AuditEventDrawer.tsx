import { useEffect } from 'react';
import type { AuditEvent } from '../../../../../shared/audit';
import { formatAuditTime, formatDuration, piiTypeLabels } from '../lib/format';

// Everything one record holds, and nothing else: the log has entity types and counts, never values.
export function AuditEventDrawer({ event, onClose }: { event: AuditEvent; onClose: () => void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const pii = piiTypeLabels(event);
  const rows: [string, string][] = [
    ['Time', `${formatAuditTime(event.timestamp)} (${event.timestamp})`],
    ['Event type', event.event_type],
    ['Tool', event.tool_name],
    ['Server', event.server ?? '—'],
    ['Client', event.client_id],
    ['User', event.user_id],
    ['Contains PII', event.contains_pii ? 'yes' : 'no'],
    ['PII types', pii.length > 0 ? pii.join(', ') : '—'],
    ['Action taken', event.action_taken],
    ['Outcome', event.outcome ?? '—'],
    ['Detail', event.detail ?? '—'],
    ['Parameters', String(event.parameter_count)],
    ['Duration', formatDuration(event.duration_ms)],
    // Links a call's attempt record and its outcome record.
    ['Call id', event.call_id ?? '—'],
    ['Seq', String(event.seq)],
  ];
  return (
    <aside className="drawer audit-drawer" aria-label={`Audit event ${event.seq}`}>
      <header className="drawer-head">
        <h2>Event #{event.seq}</h2>
        <button
          type="button"
          className="secondary"
          onClick={onClose}
          aria-label="Close event details"
          autoFocus
        >
          Close
        </button>
      </header>
      <div className="drawer-body">
        <dl className="audit-fields">
          {rows.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
          <div>
            <dt>Hash</dt>
            <dd className="mono hash" title={event.hash}>
              {event.hash}
            </dd>
          </div>
          <div>
            <dt>Previous hash</dt>
            <dd className="mono hash" title={event.prev_hash}>
              {event.prev_hash}
            </dd>
          </div>
        </dl>
      </div>
    </aside>
  );
}
