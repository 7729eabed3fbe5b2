import type { DockImpl } from '../../../shared/contract';
import { contract } from '../../../shared/contract';
import { serveContract } from '../../../shared/contract-server';
import type { Route, UpgradeRoute } from '../http/router';
import type { PanelSessions } from './panel-sessions';
import { panelSessionRoute } from './session-route';
import { uiRoute } from './ui-route';
import { createWsBridge } from './ws-bridge';

export interface HeadlessDeps {
  api: DockImpl;
  rendererDir: string;
  sessions: PanelSessions;
  port: number;
}

export interface Headless {
  routes: Route[];
  upgrades: UpgradeRoute[];
  close(): void;
}

// Headless mode: the built renderer, the panel-session exchange, and the contract bound to a
// WebSocket, all behind the loopback guard and the panel's session.
export function openHeadless(deps: HeadlessDeps): Headless {
  const port = () => deps.port;
  const bridge = createWsBridge(serveContract(contract, deps.api), deps.sessions, port);
  return {
    routes: [
      panelSessionRoute(deps.sessions, port),
      uiRoute({ rendererDir: deps.rendererDir, sessions: deps.sessions, port }),
    ],
    upgrades: [bridge.route],
    close: () => bridge.close(),
  };
}
