import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorNote } from '../../../common/ErrorNote';
import { watchGateway, useGatewayStore } from '../lib/gateway-store';
import { EndpointSummary } from './EndpointSummary';
import { OwnTools } from './OwnTools';
import { ServerSection } from './ServerSection';
import { PinReview } from './PinReview';
import { SessionsTable } from './SessionsTable';
import { ToolChanges } from './ToolChanges';

function NoServers() {
  return (
    <section className="empty-state" aria-labelledby="gateway-no-servers">
      <h2 id="gateway-no-servers">No servers behind the gateway yet</h2>
      <p>
        The gateway serves MCP Dock&apos;s own tools (below) to every client that signs in. Start a server in{' '}
        <a href="#containers">Containers</a> and its tools are added here, prefixed with the server&apos;s
        name.
      </p>
    </section>
  );
}

// The gateway at /mcp: who is connected, every server behind it, and which of their tools clients see.
export function GatewayPane() {
  const { servers, load, error } = useGatewayStore(
    useShallow((s) => ({ servers: s.status?.servers, load: s.load, error: s.error })),
  );
  useEffect(watchGateway, []);
  return (
    <div className="pane gateway-pane">
      <header className="pane-header">
        <h1>Gateway</h1>
      </header>
      <ErrorNote message={error} />
      {!servers ? (
        load !== 'ready' && (
          <section className="empty-state" aria-busy="true">
            <h2>Reading the gateway&apos;s status…</h2>
          </section>
        )
      ) : (
        <>
          <EndpointSummary />
          <ToolChanges />
          <SessionsTable />
          {servers.length === 0 ? (
            <NoServers />
          ) : (
            <div className="server-list gateway-servers">
              {servers.map((server) => (
                <ServerSection key={server.server} server={server} />
              ))}
            </div>
          )}
          <OwnTools />
          <PinReview />
        </>
      )}
    </div>
  );
}
