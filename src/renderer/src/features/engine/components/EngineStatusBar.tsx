import { useShallow } from 'zustand/react/shallow';
import { recheckEngine } from '../lib/engine-sync';
import { useEngineStore } from '../lib/engine-store';

function summary(status: ReturnType<typeof useEngineStore.getState>['status']): string {
  if (!status || status.state === 'checking') return 'Docker engine: checking…';
  if (status.state === 'reachable') return `${status.product} ${status.version} · reachable`;
  return `Docker engine unreachable: ${status.reason}`;
}

export function EngineStatusBar() {
  const { status, rechecking } = useEngineStore(
    useShallow((s) => ({ status: s.status, rechecking: s.rechecking })),
  );
  const state = status?.state ?? 'checking';
  return (
    <div className="status-item" role="status" aria-label="Docker engine status" data-state={state}>
      <span className={`dot dot-${state}`} aria-hidden="true" />
      <span className="status-text">{summary(status)}</span>
      {status && status.state !== 'checking' && (
        <span className="status-endpoint" title={`found via ${status.source}`}>
          {status.endpoint}
        </span>
      )}
      {state === 'unreachable' && (
        <button
          type="button"
          className="link-button"
          onClick={() => void recheckEngine()}
          disabled={rechecking}
        >
          {rechecking ? 'Checking…' : 'Re-check'}
        </button>
      )}
    </div>
  );
}
