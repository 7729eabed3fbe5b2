import { createContractClient } from '../../../shared/contract-client';
import { contract, type DockApi } from '../../../shared/contract';
import { createPreloadTransport } from './preload-transport';
import { panelSessionSource } from './panel-session';
import { bridgeUrl, createWebSocketTransport, type ConnectionState } from './ws-transport';

export interface DockConnection {
  api: DockApi;
  // Desktop IPC is always connected; the headless WebSocket can drop and come back.
  state(): ConnectionState;
  onStateChange(listener: (state: ConnectionState) => void): () => void;
}

// One typed API whichever transport is underneath: the preload's IPC in the desktop app, the
// WebSocket bridge in headless mode.
export function connectToDock(win: Window = window): DockConnection {
  if (win.mcpDock) {
    return {
      api: createContractClient(contract, createPreloadTransport(win.mcpDock)),
      state: () => 'open',
      onStateChange: () => () => undefined,
    };
  }
  const transport = createWebSocketTransport({
    url: bridgeUrl(win.location),
    session: panelSessionSource(win),
  });
  // Another tab of this origin opened a session (its printed URL): use it here too.
  win.addEventListener('storage', () => transport.retry());
  return {
    api: createContractClient(contract, transport),
    state: () => transport.state(),
    onStateChange: (listener) => transport.onStateChange(listener),
  };
}
