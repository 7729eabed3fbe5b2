import { useId } from 'react';
import { formatAgo } from '../../../../../shared/format-ago';
import { shortId } from '../lib/format';
import { useGatewayStore } from '../lib/gateway-store';
import { useNow } from '../../../common/use-now';

// The MCP sessions open at /mcp and the profiles' endpoints, one row each: which OAuth client, where,
// which session, when last heard.
export function SessionsTable() {
  const sessions = useGatewayStore((s) => s.status?.sessions);
  const now = useNow();
  const titleId = useId();
  if (!sessions) return null;
  return (
    <section className="panel-section" aria-labelledby={titleId}>
      <h2 id={titleId}>Connected clients</h2>
      {sessions.length === 0 ? (
        <p className="muted small">
          No client is connected. <a href="#connect">Connect</a> has the gateway snippet for each client.
        </p>
      ) : (
        <table className="table" aria-labelledby={titleId}>
          <thead>
            <tr>
              <th>Client</th>
              <th>Endpoint</th>
              <th>Session</th>
              <th>Last seen</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr key={session.id}>
                <td>
                  {session.clientName ?? session.clientId}
                  {session.clientName && <div className="small muted mono">{session.clientId}</div>}
                </td>
                <td className="mono">{session.profile ? `/mcp/p/${session.profile}` : '/mcp'}</td>
                <td className="mono" title={session.id}>
                  {shortId(session.id)}
                </td>
                <td title={new Date(session.lastSeen).toLocaleString()}>
                  {formatAgo(session.lastSeen, now)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
