import { useServersStore } from '../lib/servers-store';
import {
  pullImage,
  probeServer,
  removeContainer,
  restartServer,
  startServer,
  stopServer,
  deleteServer,
  saveServer,
} from '../lib/servers-actions';
import { useState } from 'react';
import type { ServerView } from '../../../../../shared/servers';
import { ToolList } from '../../../common/ToolList';
import { describeError } from '../../../common/describe-error';
import { MessageText } from '../../../common/MessageText';
import { ErrorNote } from '../../../common/ErrorNote';

const STATE_LABELS: Record<string, string> = {
  unknown: 'unknown (no engine)',
  absent: 'not created',
  created: 'created',
  running: 'running',
  exited: 'stopped',
  paused: 'paused',
  restarting: 'restarting',
  dead: 'dead',
  removing: 'removing',
};

// What the container may do, in a line: each relaxation of the defaults is named.
function securitySummary(view: ServerView): string {
  const { spec } = view;
  return [
    spec.network === 'none'
      ? 'no network'
      : spec.network === 'egress'
        ? `network: allow-list (${spec.egress.length === 0 ? 'nothing' : spec.egress.join(', ')})`
        : `network: ${spec.network} (relaxed: open)`,
    spec.relax.writableRootfs ? 'writable root (relaxed)' : 'read-only root',
    'no capabilities',
    spec.relax.allowPrivilegeEscalation
      ? 'privilege escalation allowed (relaxed)'
      : 'no privilege escalation',
    spec.user === undefined
      ? 'non-root'
      : /^(root|0)(:|$)/.test(spec.user)
        ? `runs as ${spec.user} (relaxed)`
        : `runs as ${spec.user}`,
    spec.relax.tmpExec ? 'programs allowed in /tmp (relaxed)' : '/tmp noexec',
    `${spec.limits.memoryMb} MB · ${spec.limits.cpus} CPU · ${spec.limits.pids} pids`,
  ].join(' · ');
}

// What the server's egress proxy let through and refused since the app started; a refused host
// can be added to the list (at the next start) in one click.
function EgressSeen({ view }: { view: ServerView }) {
  const [adding, setAdding] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const seen = view.egressSeen;
  if (!seen) return null;
  const { spec } = view;
  const allow = async (entry: string) => {
    setAdding(entry);
    const error = await saveServer(spec.name, { ...spec, egress: [...spec.egress, entry] }, {});
    setAdding(null);
    setFailure(error ?? null);
  };
  return (
    <section className="egress-seen" aria-label={`Egress of ${spec.name}`}>
      <p className="small">
        Egress through MCP Dock&apos;s proxy: {seen.allowed.toLocaleString('en-US')} allowed
        {seen.denied.length === 0 ? ', nothing refused' : ''}
      </p>
      {seen.denied.length > 0 && (
        <ul className="egress-denied" aria-label={`Refused hosts of ${spec.name}`}>
          {seen.denied.map((d) => {
            const entry = d.port === 80 || d.port === 443 ? d.host : `${d.host}:${d.port}`;
            const listed = spec.egress.includes(entry);
            return (
              <li key={`${d.host}:${d.port}`}>
                <code>
                  {d.host}:{d.port}
                </code>{' '}
                refused {d.count === 1 ? 'once' : `${d.count} times`}{' '}
                {listed ? (
                  <span className="small muted">allowed at the next start</span>
                ) : view.source === 'user' ? (
                  <button
                    type="button"
                    className="link-button"
                    disabled={adding !== null}
                    onClick={() => void allow(entry)}
                  >
                    Allow this host
                  </button>
                ) : (
                  <span className="small muted">
                    (a catalog server keeps its list: add your own server to change it)
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <ErrorNote message={failure} />
    </section>
  );
}

function ClashChoices({ name, message }: { name: string; message: string }) {
  return (
    <div className="callout callout-warning" role="alert">
      <p>
        <MessageText text={describeError({ message })} />
      </p>
      <div className="button-row">
        <button type="button" onClick={() => void startServer(name, 'adopt')}>
          Adopt it
        </button>
        <button type="button" onClick={() => void startServer(name, 'rename')}>
          Use another name
        </button>
        <button type="button" className="danger" onClick={() => void startServer(name, 'replace')}>
          Replace it
        </button>
      </div>
    </div>
  );
}

function PullBar({ name }: { name: string }) {
  const pull = useServersStore((s) => s.pulls[name]);
  if (!pull || (pull.done && !pull.error)) return null;
  if (pull.error) return null;
  return (
    <div className="pull">
      <progress
        aria-label={`Pulling ${pull.image}`}
        max={1}
        {...(pull.fraction === null ? {} : { value: pull.fraction })}
      />
      <span>
        {pull.status} {pull.fraction === null ? '' : `${Math.round(pull.fraction * 100)}%`}
      </span>
    </div>
  );
}

export function ServerCard({
  view,
  onLogs,
  onEdit,
}: {
  view: ServerView;
  onLogs: () => void;
  onEdit: () => void;
}) {
  const error = useServersStore((s) => s.errors[view.spec.name]);
  const { spec, container, health } = view;
  const name = spec.name;
  const running = container.state === 'running';
  const busy = Boolean(view.busy);
  return (
    <article className="server-card" aria-labelledby={`server-${name}`} data-state={container.state}>
      <header className="server-head">
        <div>
          <h2 id={`server-${name}`}>{name}</h2>
          <span className="badge">{view.source === 'catalog' ? 'catalog' : 'yours'}</span>
          <span className="badge">{spec.mode === 'exec' ? 'docker exec' : 'docker run per session'}</span>
        </div>
        <span className={`state state-${container.state}`} aria-label={`${name} state`}>
          {view.busy ?? (spec.mode === 'run' ? 'starts per session' : STATE_LABELS[container.state])}
          {container.adopted ? ' (adopted)' : ''}
        </span>
      </header>
      {spec.description && <p className="muted">{spec.description}</p>}
      <p className="mono small">
        {spec.image} · <code>{spec.command.join(' ')}</code> · container {view.containerName}
      </p>
      <p className="small muted">{securitySummary(view)}</p>
      <EgressSeen view={view} />
      {view.secretsSet.length > 0 && <p className="small">Secrets set: {view.secretsSet.join(', ')}</p>}

      <div className="button-row">
        {spec.mode === 'exec' && !running && (
          <button type="button" disabled={busy} onClick={() => void startServer(name)}>
            Start
          </button>
        )}
        {running && (
          <>
            <button type="button" disabled={busy} onClick={() => void stopServer(name)}>
              Stop
            </button>
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => void restartServer(name)}
            >
              Restart
            </button>
          </>
        )}
        {(running || spec.mode === 'run') && (
          <button type="button" className="secondary" disabled={busy} onClick={() => void probeServer(name)}>
            Check tools
          </button>
        )}
        <button type="button" className="secondary" onClick={onLogs}>
          Logs
        </button>
        {view.source === 'user' && (
          <button type="button" className="secondary" disabled={busy} onClick={onEdit}>
            Edit
          </button>
        )}
        {container.state !== 'absent' && !running && (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void removeContainer(name)}
          >
            {container.adopted ? 'Forget container' : 'Remove container'}
          </button>
        )}
        {view.source === 'user' && !running && (
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() =>
              window.confirm(`Delete ${name}, its container and its secrets?`) && void deleteServer(name)
            }
          >
            Delete
          </button>
        )}
      </div>

      <PullBar name={name} />
      {error?.code === 'NAME_CLASH' && <ClashChoices name={name} message={error.message} />}
      {error?.code === 'IMAGE_MISSING' && (
        <div className="callout callout-warning" role="alert">
          <p>
            <MessageText text={describeError(error)} />
          </p>
          <button type="button" onClick={() => void pullImage(name)}>
            Pull {spec.image}
          </button>
        </div>
      )}
      {error && error.code !== 'NAME_CLASH' && error.code !== 'IMAGE_MISSING' && (
        <div className="callout callout-error" role="alert">
          <MessageText text={describeError(error, error.action)} />
        </div>
      )}

      {health.status === 'probing' && (
        <p className="small muted">Checking the MCP server (initialize, tools/list)…</p>
      )}
      {health.status === 'ready' && (
        <details className="tools" open>
          <summary>
            MCP ready: {health.serverName} {health.serverVersion} · {health.tools.length}{' '}
            {health.tools.length === 1 ? 'tool' : 'tools'}
          </summary>
          <ToolList label={`${name} tools`} tools={health.tools} />
        </details>
      )}
      {health.status === 'failed' && (
        <div className="callout callout-error" role="alert">
          <p>The MCP server did not answer: {health.reason}</p>
          {health.lastLogLines.length > 0 && (
            <pre className="log-excerpt">{health.lastLogLines.join('\n')}</pre>
          )}
        </div>
      )}
    </article>
  );
}
