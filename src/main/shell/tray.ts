import { Menu, Tray, nativeImage } from 'electron';

export interface TrayActions {
  show(): void;
  quit(): void;
}

export function createTray(iconPath: string, actions: TrayActions): Tray {
  const tray = new Tray(nativeImage.createFromPath(iconPath));
  tray.setToolTip('MCP Dock');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show', click: () => actions.show() },
      { type: 'separator' },
      { label: 'Quit', click: () => actions.quit() },
    ]),
  );
  tray.on('click', () => actions.show());
  return tray;
}
