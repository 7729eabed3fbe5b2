import type { App, Session, WebContents } from 'electron';
import { isAppUrl } from './app-url';
import { openExternalSafely } from './external-links';

// Every web contents the app creates gets the same rules: it stays on our origin, cannot open
// windows or webviews, and links out only through the allowlist.
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    // A link to documentation or a client's install link leaves for the OS, never in our window.
    void openExternalSafely(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalSafely(url);
    return { action: 'deny' };
  });
}

// The UI needs no camera, notifications, geolocation or anything else a site may ask for.
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export function hardenApp(app: App): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}
