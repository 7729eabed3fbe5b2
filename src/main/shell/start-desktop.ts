import { openSignInsInBrowser } from './sign-in-browser';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, session, type Tray } from 'electron';
import { contract } from '../../shared/contract';
import { serveContract } from '../../shared/contract-server';
import { createCore, type Core } from '../core/create-core';
import { resolveDataDir } from '../core/store/data-dir';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { devServerOrigin } from './app-url';
import { denyAllPermissions, hardenApp } from './hardening';
import { bindIpc, forwardEvents } from './ipc';
import { createMainWindow } from './main-window';
import { safeStorageKeyProvider } from './safe-storage-key';
import { notifyHeldCalls } from './held-call-notifications';
import { createTray } from './tray';

export interface DesktopPaths {
  preload: string;
  rendererDir: string;
  icon: string;
  trayIcon: string;
}

function flagValue(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  if (index !== -1) return argv[index + 1];
  const prefixed = argv.find((arg) => arg.startsWith(`${name}=`));
  return prefixed?.slice(name.length + 1);
}

// The desktop shell: a thin host around core. Returns false when another instance already runs.
export function startDesktop(paths: DesktopPaths, argv: readonly string[] = process.argv): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  registerAppScheme();
  hardenApp(app);

  let win: BrowserWindow | undefined;
  let tray: Tray | undefined;
  let core: Core | undefined;
  let quitting = false;

  const show = () => {
    if (!win || win.isDestroyed()) win = openWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const openWindow = () => {
    const created = createMainWindow(
      paths.preload,
      paths.icon,
      process.env.ELECTRON_RENDERER_URL && devServerOrigin() ? process.env.ELECTRON_RENDERER_URL : undefined,
    );
    // With a tray, closing the window keeps servers running; Quit lives in the tray menu.
    created.on('close', (event) => {
      if (!quitting && tray) {
        event.preventDefault();
        created.hide();
      }
    });
    return created;
  };

  app.on('second-instance', show);
  app.on('activate', show);
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', (event) => {
    if (!core) return;
    event.preventDefault();
    const closing = core;
    core = undefined;
    void closing.close().finally(() => app.quit());
  });

  void app.whenReady().then(async () => {
    denyAllPermissions(session.defaultSession);
    serveAppProtocol(paths.rendererDir);
    try {
      const envPort = Number(process.env.MCP_DOCK_PORT);
      const dataDir = resolveDataDir({ flag: flagValue(argv, '--data-dir') ?? app.getPath('userData') });
      core = await createCore({
        mode: 'desktop',
        dataDir,
        keyProvider: safeStorageKeyProvider(dataDir),
        http: {
          port: process.env.MCP_DOCK_PORT && Number.isInteger(envPort) ? envPort : undefined,
          portSetting: 'MCP_DOCK_PORT, or http.port in settings.json',
        },
      });
    } catch (error) {
      dialog.showErrorBox('MCP Dock could not start', (error as Error).message);
      app.exit(1);
      return;
    }
    const served = serveContract(contract, openSignInsInBrowser(core.api));
    bindIpc(ipcMain, served);
    forwardEvents(served, () => BrowserWindow.getAllWindows().map((w) => w.webContents));
    notifyHeldCalls(core.api.approvals, show);
    try {
      tray = createTray(paths.trayIcon, { show, quit: () => app.quit() });
    } catch {
      // Some Linux desktops have no tray; the window's close button then quits as usual.
      tray = undefined;
    }
    win = openWindow();
  });

  app.on('window-all-closed', () => {
    if (!tray) app.quit();
  });
  return true;
}

export function defaultPaths(mainDir: string, icon: string, trayIcon: string): DesktopPaths {
  return {
    preload: join(mainDir, '../preload/preload.js'),
    rendererDir: join(mainDir, '../renderer'),
    icon,
    trayIcon,
  };
}
