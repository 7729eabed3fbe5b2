import type { ReactNode } from 'react';
import { useConnectionStore } from '../lib/connection-store';

// Headless mode without a live panel session: nothing to show but how to get one.
export function SessionRequired({ children }: { children: ReactNode }) {
  const state = useConnectionStore((s) => s.state);
  if (state !== 'unauthorized') return children;
  return (
    <main className="session-required">
      <h1>MCP Dock</h1>
      <p>
        This MCP Dock session needs its token. Open the URL that <code>mcp-dock serve</code> printed (it ends
        in <code>?token=…</code>).
      </p>
      <p className="small">
        A restarted <code>mcp-dock serve</code> prints a new URL; pages opened with an earlier one need it
        too.
      </p>
    </main>
  );
}
