import { recheckEngine, useEngineStore } from '../../engine';

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
  return (
    <div className="pane">
      <header className="pane-header">
        <h1>Containers</h1>
      </header>
      {!status || status.state === 'checking' ? (
        <section className="empty-state" aria-busy="true">
          <h2>Looking for a Docker engine…</h2>
        </section>
      ) : status.state === 'unreachable' ? (
        <NoEngine reason={status.reason} hint={status.hint} endpoint={status.endpoint} />
      ) : (
        <section className="empty-state" aria-labelledby="no-servers-title">
          <h2 id="no-servers-title">No MCP servers yet</h2>
          <p>
            {status.product} {status.version} ({status.os}/{status.arch}) is ready at{' '}
            <code>{status.endpoint}</code>. MCP servers you run with MCP Dock will appear here, each in its
            own locked-down container.
          </p>
        </section>
      )}
    </div>
  );
}
