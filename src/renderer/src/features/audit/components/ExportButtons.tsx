import { useState } from 'react';
import type { AuditExportFormat } from '../../../../../shared/audit';
import { ErrorNote } from '../../../common/ErrorNote';
import { describeError } from '../../../common/describe-error';
import { exportAuditLog } from '../lib/export-audit';

// Export what the filter selects, as core writes it: JSONL (exact records, chain-checkable) or CSV.
export function ExportButtons() {
  const [busy, setBusy] = useState<AuditExportFormat | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (format: AuditExportFormat) => {
    setBusy(format);
    setSaved(null);
    try {
      setSaved(await exportAuditLog(format));
      setError(null);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="audit-export">
      <div className="button-row">
        <button
          type="button"
          className="secondary"
          disabled={busy !== null}
          onClick={() => void run('jsonl')}
        >
          Export JSONL
        </button>
        <button type="button" className="secondary" disabled={busy !== null} onClick={() => void run('csv')}>
          Export CSV
        </button>
      </div>
      <p className="muted small">
        {busy
          ? `Exporting ${busy.toUpperCase()}…`
          : saved
            ? `Saved ${saved}`
            : 'Exports the events the filter selects, oldest first, up to 100,000.'}
      </p>
      <ErrorNote message={error} />
    </div>
  );
}
