import { get as httpGet, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { readAppOrigin } from '../core/http/app-origin-file';
import { loadSettings } from '../core/store/settings';

// Whether an MCP Dock answers /healthz at `origin` with a 2xx within `timeoutMs`. node:http, not
// fetch: `gateway --stdio` asks this first, and when no app runs the answer is all the client
// gets, so it should not wait for fetch's HTTP stack (undici) to load, which costs more CPU than
// the rest of that check together.
export async function answersHealthz(origin: string, timeoutMs: number): Promise<boolean> {
  const url = new URL('/healthz', origin);
  const get: (url: URL, options: RequestOptions, callback: (res: IncomingMessage) => void) => ClientRequest =
    url.protocol === 'https:' ? (await import('node:https')).get : httpGet;
  return new Promise((resolve) => {
    // No keep-alive: an idle socket must not hold a finished command open.
    const req = get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 300);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

// The origin of the app running on this data directory, if one answers there. The record in the
// data directory says where; /healthz says it is really up (not a record left by a crash).
export async function findRunningApp(dataDir: string): Promise<string | undefined> {
  const record = await readAppOrigin(dataDir);
  if (!record) return undefined;
  return (await answersHealthz(record.origin, 3000)) ? record.origin : undefined;
}

// Where to reach the app when the user gave no --url: where it runs now, else where settings.json
// says it will (the app may be starting, or run by an older version that writes no record).
export async function appOrigin(dataDir: string): Promise<string> {
  return (await findRunningApp(dataDir)) ?? `http://127.0.0.1:${(await loadSettings(dataDir)).http.port}`;
}
