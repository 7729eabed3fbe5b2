import { setTimeout as delay } from 'node:timers/promises';
import { ClientNotAcceptedError } from '../core/errors';

export interface WaitForClientOptions {
  // How long the app may take in all; its watcher folds a save into one reload after 150 ms.
  timeoutMs?: number;
  signal?: AbortSignal;
}

// A JWT-shaped token that verifies nowhere: introspection answers {"active": false} for it once the
// caller authenticates, and 401 invalid_client while the app does not know the caller.
const PROBE_TOKEN = 'e30.e30.probe';

// Returns once the app at `origin` authenticates the client, by introspecting a token that does
// not exist with the client's own credentials: that checks exactly what the token endpoint will
// check, without minting a token (no row in the Tokens pane). The first probe waits out the
// watcher's 150 ms, and later ones back off, so a slow reload costs only a few failed attempts.
export async function waitUntilAppAccepts(
  origin: string,
  credential: { client_id: string; client_secret: string },
  options: WaitForClientOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let pause = 200;
  let last = 'no answer yet';
  for (;;) {
    await delay(Math.max(0, Math.min(pause, deadline - Date.now())), undefined, {
      signal: options.signal,
    });
    let res: Response;
    try {
      res = await fetch(`${origin}/oauth2/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          token: PROBE_TOKEN,
          client_id: credential.client_id,
          client_secret: credential.client_secret,
        }),
        signal: options.signal ?? null,
      });
    } catch {
      // The app went away: it reads the client from disk when it starts again.
      return;
    }
    if (res.ok) return;
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    last = `${res.status} ${body.error ?? res.statusText}`.trim();
    // Anything but "unknown client" or "slow down" will not change by waiting.
    if (res.status !== 401 && res.status !== 429)
      throw new ClientNotAcceptedError(credential.client_id, origin, last);
    const retryAfter = Number(res.headers.get('retry-after'));
    pause = Math.max(Math.min(pause * 1.5, 1000), Number.isFinite(retryAfter) ? retryAfter * 1000 : 0);
    if (Date.now() + pause > deadline)
      throw new ClientNotAcceptedError(credential.client_id, origin, `still ${last}`);
  }
}
