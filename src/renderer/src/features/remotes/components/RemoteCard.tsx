import type { RemoteView } from '../../../../../shared/remotes';
import { ToolList } from '../../../common/ToolList';
import { useRemotesStore } from '../lib/remotes-store';
import { removeRemote, signIn, signOut } from '../lib/remotes-actions';

const STATE_LABELS: Record<RemoteView['state'], string> = {
  unknown: 'unknown',
  connecting: 'connecting',
  ready: 'connected',
  down: 'down',
  'signed-out': 'sign-in needed',
};

function authSummary(view: RemoteView): string {
  const { auth } = view.spec;
  if (auth.type === 'none') return 'no authentication';
  if (auth.type === 'header') return `header ${auth.header} from the secret store`;
  const until = view.tokenExpiresAt
    ? `, token until ${new Date(view.tokenExpiresAt).toLocaleTimeString()}`
    : '';
  return `OAuth${auth.clientId ? ` (client ${auth.clientId})` : ''}: ${view.signedIn ? `signed in${until}` : 'not signed in'}`;
}

export function RemoteCard({ view, onEdit }: { view: RemoteView; onEdit: () => void }) {
  const name = view.spec.name;
  const error = useRemotesStore((s) => s.errors[name]);
  const pending = useRemotesStore((s) => s.signingIn[name]);
  const oauth = view.spec.auth.type === 'oauth';
  return (
    <article className="server-card" aria-labelledby={`remote-${name}`} data-state={view.state}>
      <header className="server-head">
        <div>
          <h2 id={`remote-${name}`}>{name}</h2>
          <span className="badge">remote</span>
          <span className="badge">
            {view.transport ?? (view.spec.transport === 'auto' ? 'HTTP' : view.spec.transport)}
          </span>
          {view.spec.registryEntry && <span className="badge">from {view.spec.registryEntry}</span>}
        </div>
        <span
          className={`state state-${view.state === 'ready' ? 'running' : view.state === 'down' ? 'dead' : 'created'}`}
          aria-label={`${name} state`}
        >
          {STATE_LABELS[view.state]}
        </span>
      </header>
      {view.spec.description && <p className="muted">{view.spec.description}</p>}
      <p className="mono small">{view.spec.url}</p>
      <p className="small muted">{authSummary(view)}</p>
      {view.reason && view.state !== 'ready' && (
        <div
          className={`callout ${view.state === 'signed-out' ? 'callout-warning' : 'callout-error'}`}
          role="status"
        >
          {view.reason}
        </div>
      )}
      <div className="button-row">
        {oauth && (
          <button
            type="button"
            className={view.signedIn ? 'secondary' : undefined}
            onClick={() => void signIn(name)}
          >
            {view.signedIn ? 'Sign in again' : 'Sign in'}
          </button>
        )}
        {oauth && view.signedIn && (
          <button type="button" className="secondary" onClick={() => void signOut(name)}>
            Sign out
          </button>
        )}
        <button type="button" className="secondary" onClick={onEdit}>
          Edit
        </button>
        <button
          type="button"
          className="danger"
          onClick={() =>
            window.confirm(`Remove ${name} and its secrets and tokens?`) && void removeRemote(name)
          }
        >
          Remove
        </button>
      </div>
      {pending && !view.signedIn && (
        <p className="small">
          Waiting for the sign-in in your browser. If no page opened,{' '}
          <a href={pending} target="_blank" rel="noopener noreferrer">
            open the sign-in page
          </a>
          .
        </p>
      )}
      {error && (
        <div className="callout callout-error" role="alert">
          {error}
        </div>
      )}
      {view.state === 'ready' && (
        <details className="tools" open>
          <summary>
            {view.tools.length} {view.tools.length === 1 ? 'tool' : 'tools'}, served at /mcp as {name}__…
          </summary>
          <ToolList label={`${name} tools`} tools={view.tools} />
        </details>
      )}
    </article>
  );
}
