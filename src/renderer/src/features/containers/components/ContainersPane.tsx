import { useState } from 'react';
import type { ServerSpec } from '../../../../../shared/servers';
import { recheckEngine, useEngineStore } from '../../engine';
import { RemotesSection } from '../../remotes';
import { LogsDrawer, OrphansList, ServerCard, ServerForm, useServersStore } from '../../servers';

function NoEngine({ reason, hint, endpoint }: { reason: string; hint: string; endpoint: string }) {
  const rechecking = useEngineStore((s) => s.rechecking);
  return (
    <section className="empty-state" aria-labelledby="no-engine-title">
      <h2 id="no-engine-title">No Docker engine reachable</h2>
      <p className="empty-reason">{reason}.</p>
      <p>MCP Dock runs every MCP server in a container, so it needs a Docker engine.</p>
      <p>{hint}</p>
      <p className="hint">
        Watching <code>{endpoint}</code>: MCP Dock connects by itself as soon as the engine answers. To use
        another engine, set <code>DOCKER_HOST</code> and restart MCP Dock.
      </p>
      <button type="button" onClick={() => void recheckEngine()} disabled={rechecking}>
        {rechecking ? 'Checking…' : 'Check again now'}
      </button>
    </section>
  );
}

export function ContainersPane() {
  const status = useEngineStore((s) => s.status);
  const views = useServersStore((s) => s.views);
  const [logsOf, setLogsOf] = useState<string | null>(null);
  const [editing, setEditing] = useState<ServerSpec | 'new' | null>(null);

  let body;
  if (!status || status.state === 'checking') {
    body = (
      <section className="empty-state" aria-busy="true">
        <h2>Looking for a Docker engine…</h2>
      </section>
    );
  } else if (status.state === 'unreachable') {
    body = <NoEngine reason={status.reason} hint={status.hint} endpoint={status.endpoint} />;
  } else {
    body = (
      <>
        <p className="muted small">
          {status.product} {status.version} ({status.os}/{status.arch}) at <code>{status.endpoint}</code>
        </p>
        {editing && (
          <ServerForm {...(editing === 'new' ? {} : { initial: editing })} onDone={() => setEditing(null)} />
        )}
        <div className="server-list">
          {views.map((view) => (
            <ServerCard
              key={view.spec.name}
              view={view}
              onLogs={() => setLogsOf(view.spec.name)}
              onEdit={() => setEditing(view.spec)}
            />
          ))}
        </div>
        <OrphansList />
      </>
    );
  }

  // Containers need the engine; remote servers do not, so they are listed whatever it says.
  return (
    <div className="pane">
      <header className="pane-header">
        <h1>Servers</h1>
      </header>
      <section aria-labelledby="containers-title">
        <header className="section-head">
          <h2 id="containers-title">Containers</h2>
          {status?.state === 'reachable' && !editing && (
            <button type="button" onClick={() => setEditing('new')}>
              Add server
            </button>
          )}
        </header>
        {body}
      </section>
      <RemotesSection />
      {logsOf && <LogsDrawer name={logsOf} onClose={() => setLogsOf(null)} />}
    </div>
  );
}
