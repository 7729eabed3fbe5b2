import {
  PANEL_SESSION_PATH,
  PANEL_SESSION_STORAGE_KEY,
  panelSessionReplySchema,
} from '../../../shared/bridge-protocol';
import type { SessionSource } from './ws-transport';

// Headless mode's panel session, as the page sees it. The printed URL's ?token= is traded once
// for a session secret that lives in this origin's localStorage: storage is separate for every
// port (cookies are not), so no other local server this browser visits can receive it.
export function panelSessionSource(win: Window): SessionSource {
  let memory: string | undefined;
  const storage = {
    get(): string | undefined {
      try {
        return win.localStorage.getItem(PANEL_SESSION_STORAGE_KEY) ?? memory;
      } catch {
        return memory;
      }
    },
    set(secret: string): void {
      memory = secret;
      try {
        win.localStorage.setItem(PANEL_SESSION_STORAGE_KEY, secret);
      } catch {
        // Storage turned off: this tab keeps the session in memory.
      }
    },
    clear(): void {
      memory = undefined;
      try {
        win.localStorage.removeItem(PANEL_SESSION_STORAGE_KEY);
      } catch {
        // Nothing stored.
      }
    },
  };

  let exchanged: Promise<void> | undefined;
  const exchangeOnce = () => (exchanged ??= exchange(win, storage.set));

  return {
    async current() {
      await exchangeOnce();
      return storage.get();
    },
    async check(secret) {
      try {
        const reply = await win.fetch(PANEL_SESSION_PATH, {
          headers: { authorization: `Bearer ${secret}` },
          cache: 'no-store',
        });
        if (reply.status === 204) return 'valid';
        return reply.status === 401 ? 'invalid' : 'unreachable';
      } catch {
        return 'unreachable';
      }
    },
    forget: () => storage.clear(),
  };
}

// Takes ?token= out of the address bar first, so it is neither bookmarked nor shared by accident.
async function exchange(win: Window, keep: (secret: string) => void): Promise<void> {
  const url = new URL(win.location.href);
  const token = url.searchParams.get('token');
  if (token === null) return;
  url.searchParams.delete('token');
  win.history.replaceState(win.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  try {
    const reply = await win.fetch(PANEL_SESSION_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
      cache: 'no-store',
    });
    if (reply.status !== 201) return;
    const parsed = panelSessionReplySchema.safeParse(await reply.json());
    if (parsed.success) keep(parsed.data.session);
  } catch {
    // Unreachable: the transport reports it, and a stored session may still work.
  }
}
