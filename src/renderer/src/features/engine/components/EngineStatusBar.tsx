import { useShallow } from 'zustand/react/shallow';
import { useConnectionStore } from '../../connection';
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
  // The engine's last status is only as fresh as the bridge that brought it: with the app gone
  // (headless `mcp-dock serve` stopped), a green "reachable" would be a guess.
  const disconnected = useConnectionStore((s) => s.state === 'reconnecting');
  if (disconnected) {
    return (
      <div className="status-item" role="status" aria-label="Docker engine status" data-state="disconnected">
        <span className="dot dot-disconnected" aria-hidden="true" />
        <span className="status-text">Not connected to MCP Dock · engine status unknown</span>
      </div>
    );
  }
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
