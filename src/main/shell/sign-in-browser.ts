import { shell } from 'electron';
import type { DockImpl } from '../../shared/contract';

// A remote server's sign-in page lives on its authorization server, which no allowlist can name
// in advance, and the window may open nothing itself (hardening.ts). The URL core minted for a
// sign-in the user just asked for is opened here, in the system browser: never a URL the page
// hands over.
export function openSignInsInBrowser(
  api: DockImpl,
  open: (url: string) => Promise<void> = (url) => shell.openExternal(url),
): DockImpl {
  return {
    ...api,
    remotes: {
      ...api.remotes,
      async signIn(input) {
        const started = await api.remotes.signIn(input);
        const url = new URL(started.authorizationUrl);
        if (url.protocol === 'https:' || url.protocol === 'http:') await open(url.toString());
        return started;
      },
    },
  };
}
