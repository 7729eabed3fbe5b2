import { useId } from 'react';
import { useGatewayStore } from '../lib/gateway-store';

// MCP Dock's own security and OAuth tools: served at /mcp whatever else runs, and never switched off.
export function OwnTools() {
  const names = useGatewayStore((s) => s.status?.ownTools);
  const titleId = useId();
  if (!names) return null;
  return (
    <section className="panel-section" aria-labelledby={titleId}>
      <h2 id={titleId}>MCP Dock&apos;s own tools</h2>
      <p className="small muted">Always on: every client that signs in to the gateway gets these.</p>
      <ul className="gateway-tools" aria-labelledby={titleId}>
        {names.map((name) => (
          <li key={name} className="gateway-tool">
            <code>{name}</code> <span className="badge">always on</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
