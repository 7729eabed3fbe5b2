import type { RawDockApi } from '../../shared/contract';

declare global {
  interface Window {
    // Present only in the desktop app, exposed by the preload; headless mode uses the WebSocket.
    mcpDock?: RawDockApi;
  }
}

export {};
