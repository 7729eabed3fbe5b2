import { useState } from 'react';
import type { Orphan } from '../../../../../shared/servers';
import { removeOrphan } from '../lib/servers-actions';
import { useServersStore } from '../lib/servers-store';

const ACTIVE = new Set(['running', 'restarting', 'paused']);

// Why a left-over is not called safe: the user decides with that in front of them.
function caution(o: Orphan): string {
  if (ACTIVE.has(o.state))
    return `still ${o.state}: stop it first (docker stop ${o.name}) if it is no longer needed`;
  return 'made by an MCP Dock version without instance labels, possibly for another data directory';
}

function OrphanRow({ orphan, onError }: { orphan: Orphan; onError: (message: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const remove = () => void removeOrphan(orphan.id).catch((e: Error) => onError(e.message));
  const active = ACTIVE.has(orphan.state);
  return (
    <li>
      <code>{orphan.name}</code> ({orphan.state}, was “{orphan.server}”)
      {!orphan.safeToRemove && <span className="small muted"> · {caution(orphan)}</span>}{' '}
      {orphan.safeToRemove ? (
        <button type="button" className="secondary" onClick={remove}>
          Remove
        </button>
      ) : active ? null : confirming ? (
        <>
          <button type="button" className="danger" onClick={remove}>
            Remove {orphan.name}
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </>
      ) : (
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>
          Remove…
        </button>
      )}
    </li>
  );
}

// Containers MCP Dock created for servers it no longer knows (a crash, a deleted entry). Only this
// data directory's stopped ones are called safe; the rest are shown with the reason to look first.
export function OrphansList() {
  const orphans = useServersStore((s) => s.orphans);
  const [error, setError] = useState<string | null>(null);
  if (orphans.length === 0) return null;
  const safe = orphans.filter((o) => o.safeToRemove);
  const unsure = orphans.filter((o) => !o.safeToRemove);
  return (
    <section className="orphans" aria-labelledby="orphans-title">
      <h2 id="orphans-title">Left-over containers</h2>
      {safe.length > 0 && (
        <>
          <p className="muted small">
            Created by this MCP Dock for servers it no longer has, and stopped. They can be removed safely.
          </p>
          <ul aria-label="Safe to remove">
            {safe.map((o) => (
              <OrphanRow key={o.id} orphan={o} onError={setError} />
            ))}
          </ul>
        </>
      )}
      {unsure.length > 0 && (
        <>
          <p className="muted small">Check these before removing them:</p>
          <ul aria-label="Check before removing">
            {unsure.map((o) => (
              <OrphanRow key={o.id} orphan={o} onError={setError} />
            ))}
          </ul>
        </>
      )}
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
