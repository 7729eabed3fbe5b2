import { AppVersion, ConnectionBanner } from '../features/connection';
import { ContainersPane } from '../features/containers';
import { EngineStatusBar } from '../features/engine';

export function App() {
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Sections">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          MCP Dock
        </div>
        <ul>
          <li>
            <a href="#containers" className="nav-item active" aria-current="page">
              Containers
            </a>
          </li>
        </ul>
      </nav>
      <main className="content" id="containers">
        <ConnectionBanner />
        <ContainersPane />
      </main>
      <footer className="statusbar">
        <EngineStatusBar />
        <AppVersion />
      </footer>
    </div>
  );
}
