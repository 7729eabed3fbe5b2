import { useState } from 'react';
import { useProfilesStore } from '../lib/profiles-store';
import { ProfileCard } from './ProfileCard';
import { ProfileForm } from './ProfileForm';

// Profiles: named selections of servers and tools, each its own endpoint for the clients that
// should see only those (and, with tool search, two tools instead of all of them).
export function ProfilesPane() {
  const views = useProfilesStore((s) => s.views);
  const loaded = useProfilesStore((s) => s.loaded);
  // undefined: no form; '': a new profile; a name: editing it.
  const [editing, setEditing] = useState<string | undefined>();
  const current = editing ? views.find((v) => v.name === editing) : undefined;
  return (
    <div className="pane">
      <header className="pane-header profiles-header">
        <h1>Profiles</h1>
        {editing === undefined && (
          <button type="button" onClick={() => setEditing('')}>
            New profile
          </button>
        )}
      </header>
      <p className="muted">
        Each profile is an endpoint of its own, /mcp/p/&lt;name&gt;, serving only the servers and tools you
        pick, with tokens issued for it alone. /mcp still serves everything.
      </p>
      {editing !== undefined && (
        <ProfileForm
          key={editing}
          {...(current ? { initial: current } : {})}
          onDone={() => setEditing(undefined)}
        />
      )}
      {loaded && views.length === 0 && editing === undefined && (
        <div className="empty-state">
          <h2>No profiles yet</h2>
          <p>
            A profile gives a client just the tools it needs: pick servers (all of their tools) or single
            tools, and connect the client to the profile’s endpoint from Connect.
          </p>
        </div>
      )}
      {views.map((view) => (
        <ProfileCard key={view.name} view={view} onEdit={() => setEditing(view.name)} />
      ))}
    </div>
  );
}
