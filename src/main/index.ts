import icon from '../../resources/icon.png?asset';
import trayIcon from '../../resources/tray-icon.png?asset';
import { defaultPaths, startDesktop } from './shell/start-desktop';

startDesktop(defaultPaths(__dirname, icon, trayIcon));
