import { useShallow } from 'zustand/react/shallow';
import type { AuditChainStatus } from '../../../../../shared/audit';
import { ErrorNote } from '../../../common/ErrorNote';
import { useChainStore, verifyAuditChain } from '../lib/chain-store';

export function chainText(status: AuditChainStatus): string {
  if (status.ok) return `Chain intact · ${status.records.toLocaleString('en-US')} records`;
  const problem = status.firstProblem;
  return problem
    ? `Chain broken at ${problem.file}:${problem.line} (${problem.reason})`
    : `Chain broken after ${status.records.toLocaleString('en-US')} records`;
}

// Whether the log's hash chain checks out, as core's verify reported it, and a way to ask again.
export function ChainBadge() {
  const { status, verifying, error } = useChainStore(
    useShallow((s) => ({ status: s.status, verifying: s.verifying, error: s.error })),
  );
  const state = status ? (status.ok ? 'intact' : 'broken') : 'unknown';
  const text = status ? chainText(status) : verifying ? 'Verifying chain…' : 'Chain not verified';
  return (
    <div className="chain">
      <p
        role="status"
        aria-label="Audit chain"
        className={`chain-badge chain-${state}`}
        data-state={state}
        title={status ? `head ${status.head}` : undefined}
      >
        {status && !status.ok && (
          <span className="chain-icon" aria-hidden="true">
            ⚠
          </span>
        )}
        {text}
        {verifying && status && <span className="muted"> · verifying…</span>}
      </p>
      <button
        type="button"
        className="secondary"
        onClick={() => void verifyAuditChain()}
        disabled={verifying}
      >
        Re-verify
      </button>
      <ErrorNote message={error} />
    </div>
  );
}
