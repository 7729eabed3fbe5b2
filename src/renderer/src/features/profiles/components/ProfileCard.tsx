import type { ProfileView } from '../../../../../shared/profiles';
import { ErrorNote } from '../../../common/ErrorNote';
import { removeProfile } from '../lib/profiles-actions';
import { useProfilesStore } from '../lib/profiles-store';

function summary(p: ProfileView): string {
  const parts = [
    ...p.servers.map((s) => `${s} (all)`),
    ...p.tools.map((t) => `${t.server} › ${t.tool}`),
    ...(p.ownTools ? ['MCP Dock’s own tools'] : []),
  ];
  return parts.length ? parts.join(', ') : 'nothing selected yet';
}

export function ProfileCard({ view, onEdit }: { view: ProfileView; onEdit: () => void }) {
  const error = useProfilesStore((s) => s.errors[view.name]);
  return (
    <article className="server-card" aria-labelledby={`profile-${view.name}`}>
      <header className="server-head">
        <div>
          <h2 id={`profile-${view.name}`}>{view.name}</h2>
          {view.search && <span className="badge">tool search</span>}
          {view.callPolicy && <span className="badge">calls: {view.callPolicy}</span>}
          {view.piiPolicy && <span className="badge">PII: {view.piiPolicy.action}</span>}
        </div>
      </header>
      {view.description && <p className="muted">{view.description}</p>}
      <p className="mono small" aria-label={`${view.name} endpoint`}>
        {view.url}
      </p>
      <p className="small">{summary(view)}</p>
      {view.missingServers.length > 0 && (
        <p className="callout callout-warning small" role="status">
          Not there now: {view.missingServers.join(', ')}. Its tools return when the server does.
        </p>
      )}
      <p className="small muted">
        Stdio clients: <span className="mono">mcp-dock gateway --stdio --profile {view.name}</span>. Connect
        gives each client its snippet.
      </p>
      <ErrorNote message={error} />
      <div className="button-row">
        <button
          type="button"
          className="secondary"
          onClick={() => void navigator.clipboard?.writeText(view.url)}
        >
          Copy URL
        </button>
        <button type="button" className="secondary" onClick={onEdit}>
          Edit
        </button>
        <button
          type="button"
          className="danger"
          onClick={() =>
            window.confirm(`Delete the profile ${view.name}? Clients using ${view.url} lose it.`) &&
            void removeProfile(view.name)
          }
        >
          Delete
        </button>
      </div>
    </article>
  );
}
