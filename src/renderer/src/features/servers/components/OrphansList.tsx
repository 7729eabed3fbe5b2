import { useState } from 'react';
import { removeOrphan } from '../lib/servers-actions';
import { useServersStore } from '../lib/servers-store';

// Containers MCP Dock created for servers it no longer knows (a crash, a deleted entry).
export function OrphansList() {
  const orphans = useServersStore((s) => s.orphans);
  const [error, setError] = useState<string | null>(null);
  if (orphans.length === 0) return null;
  return (
    <section className="orphans" aria-labelledby="orphans-title">
      <h2 id="orphans-title">Left-over containers</h2>
      <p className="muted small">
        Created by MCP Dock for servers it no longer has. They can be removed safely.
      </p>
      <ul>
        {orphans.map((o) => (
          <li key={o.id}>
            <code>{o.name}</code> ({o.state}, was “{o.server}”){' '}
            <button
              type="button"
              className="secondary"
              onClick={() => void removeOrphan(o.id).catch((e: Error) => setError(e.message))}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
