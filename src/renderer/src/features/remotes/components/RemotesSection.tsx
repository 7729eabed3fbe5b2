import { useState } from 'react';
import type { RemoteSpec } from '../../../../../shared/remotes';
import { useRemotesStore } from '../lib/remotes-store';
import { RemoteCard } from './RemoteCard';
import { RemoteForm } from './RemoteForm';

// Remote servers need no Docker engine: this section shows whether or not one answers.
export function RemotesSection() {
  const views = useRemotesStore((s) => s.views);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<RemoteSpec | null>(null);
  return (
    <section aria-labelledby="remotes-title" className="remotes">
      <header className="section-head">
        <h2 id="remotes-title">Remote servers</h2>
        {!adding && !editing && (
          <button type="button" className="secondary" onClick={() => setAdding(true)}>
            Add remote server
          </button>
        )}
      </header>
      {adding && <RemoteForm onDone={() => setAdding(false)} />}
      {editing && <RemoteForm key={editing.name} initial={editing} onDone={() => setEditing(null)} />}
      {views.length === 0 && !adding && (
        <p className="muted small">
          None yet. Add one by URL, or install one from the Catalog; the gateway serves its tools with the
          same scopes, PII policies and audit as your containers.
        </p>
      )}
      <div className="server-list">
        {views.map((view) => (
          <RemoteCard key={view.spec.name} view={view} onEdit={() => setEditing(view.spec)} />
        ))}
      </div>
    </section>
  );
}
