import { useEffect, useState } from 'react';
import { AuditPane } from '../features/audit';
import { ConnectPane } from '../features/connect';
import { AppVersion, ConnectionBanner, SessionRequired } from '../features/connection';
import { ConsentDialog } from '../features/consent';
import { ApprovalDialog } from '../features/approvals';
import { CatalogPane } from '../features/catalog';
import { ContainersPane } from '../features/containers';
import { EngineStatusBar } from '../features/engine';
import { GatewayPane } from '../features/gateway';
import { PiiTesterPane } from '../features/pii-tester';
import { ProfilesPane } from '../features/profiles';
import { ClientsTokensPane } from '../features/tokens';

const PANES = [
  { id: 'containers', label: 'Servers' },
  { id: 'catalog', label: 'Catalog' },
  { id: 'profiles', label: 'Profiles' },
  { id: 'connect', label: 'Connect' },
  { id: 'gateway', label: 'Gateway' },
  { id: 'tokens', label: 'Clients & Tokens' },
  { id: 'audit', label: 'Audit' },
  { id: 'pii', label: 'PII Tester' },
] as const;
type PaneId = (typeof PANES)[number]['id'];

function paneFromHash(hash: string): PaneId {
  const id = hash.replace(/^#/, '');
  return PANES.some((p) => p.id === id) ? (id as PaneId) : 'containers';
}

export function App() {
  const [pane, setPane] = useState<PaneId>(() => paneFromHash(window.location.hash));
  useEffect(() => {
    const onHash = () => setPane(paneFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  return (
    <SessionRequired>
      <div className="app">
        <nav className="sidebar" aria-label="Sections">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true" />
            MCP Dock
          </div>
          <ul>
            {PANES.map((p) => (
              <li key={p.id}>
                <a
                  href={`#${p.id}`}
                  className={pane === p.id ? 'nav-item active' : 'nav-item'}
                  aria-current={pane === p.id ? 'page' : undefined}
                >
                  {p.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main className="content">
          <ConnectionBanner />
          {pane === 'containers' ? (
            <ContainersPane />
          ) : pane === 'catalog' ? (
            <CatalogPane />
          ) : pane === 'profiles' ? (
            <ProfilesPane />
          ) : pane === 'connect' ? (
            <ConnectPane />
          ) : pane === 'gateway' ? (
            <GatewayPane />
          ) : pane === 'audit' ? (
            <AuditPane />
          ) : pane === 'pii' ? (
            <PiiTesterPane />
          ) : (
            <ClientsTokensPane />
          )}
        </main>
        <ConsentDialog />
        <ApprovalDialog />
        <footer className="statusbar">
          <EngineStatusBar />
          <AppVersion />
        </footer>
      </div>
    </SessionRequired>
  );
}
