import { useConnectionStore } from '../lib/connection-store';

// Headless mode only: tells the user the page lost its server instead of showing stale data.
export function ConnectionBanner() {
  const state = useConnectionStore((s) => s.state);
  if (state !== 'reconnecting') return null;
  return (
    <div className="banner banner-warning" role="alert">
      Lost the connection to MCP Dock. Reconnecting… (if you stopped <code>mcp-dock serve</code>, start it
      again and open its new URL)
    </div>
  );
}

export function AppVersion() {
  const info = useConnectionStore((s) => s.info);
  const disconnected = useConnectionStore((s) => s.state === 'reconnecting');
  if (!info) return null;
  return (
    <span className="status-item status-muted">
      {info.name} {info.version} · {info.mode}
      {disconnected ? ' · not connected' : ''}
    </span>
  );
}
