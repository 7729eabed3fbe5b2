import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './app-url';

// The options are written inline in the constructor call on purpose: the Electron security scan
// (npm run lint:electron) reads them only there.
export function createMainWindow(
  preloadPath: string,
  iconPath: string,
  devUrl: string | undefined,
): BrowserWindow {
  const win = new BrowserWindow({
    width: 1180,
    height: 760,
    minWidth: 760,
    minHeight: 480,
    title: 'MCP Dock',
    show: false,
    icon: iconPath,
    autoHideMenuBar: true,
    webPreferences: {
      // Reviewed: the preload exposes only the contract's calls (src/main/preload.ts).
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK @preserve
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would open links in new windows; the window-open handler denies those too.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(devUrl ?? APP_ENTRY_URL);
  return win;
}
