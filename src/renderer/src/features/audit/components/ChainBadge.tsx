import { useShallow } from 'zustand/react/shallow';
import type { AuditChainStatus } from '../../../../../shared/audit';
import { ErrorNote } from '../../../common/ErrorNote';
import { useChainStore, verifyAuditChain } from '../lib/chain-store';

type BadgeState = 'intact' | 'broken' | 'unverified' | 'unknown';

const count = (n: number) => n.toLocaleString('en-US');

function badgeState(status: AuditChainStatus | null): BadgeState {
  if (!status) return 'unknown';
  if (status.ok) return 'intact';
  // The chain itself checks out, but its sealed head was not (no key here, or never sealed).
  if (!status.firstProblem && status.seal) return 'unverified';
  return 'broken';
}

export function chainText(status: AuditChainStatus, newer = 0): string {
  if (status.ok)
    return `Chain intact · ${count(status.records)} records${newer > 0 ? ` · ${count(newer)} newer not verified yet` : ''}`;
  const problem = status.firstProblem;
  if (problem) return `Chain broken at ${problem.file}:${problem.line} (${problem.reason})`;
  if (status.seal)
    return `Head ${status.seal.state === 'unsealed' ? 'not sealed' : 'not verified'} · ${count(status.records)} records chain correctly (${status.seal.reason})`;
  return `Chain broken after ${count(status.records)} records`;
}

// Whether the log's hash chain and its sealed head check out, as core's verify reported it, kept
// current as events arrive (chain-store.ts), and a way to ask again.
export function ChainBadge() {
  const { status, verifying, error, newer } = useChainStore(
    useShallow((s) => ({ status: s.status, verifying: s.verifying, error: s.error, newer: s.newer })),
  );
  const state = badgeState(status);
  const text = status ? chainText(status, newer) : verifying ? 'Verifying chain…' : 'Chain not verified';
  return (
    <div className="chain">
      <p
        role="status"
        aria-label="Audit chain"
        className={`chain-badge chain-${state}`}
        data-state={state}
        title={
          status
            ? `head ${status.head}${status.seal?.seq !== undefined ? `, sealed at seq ${status.seal.seq}` : ''}`
            : undefined
        }
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
