import { readAppOrigin } from '../core/http/app-origin-file';
import { loadSettings } from '../core/store/settings';

// The origin of the app running on this data directory, if one answers there. The record in the
// data directory says where; /healthz says it is really up (not a record left by a crash).
export async function findRunningApp(dataDir: string): Promise<string | undefined> {
  const record = await readAppOrigin(dataDir);
  if (!record) return undefined;
  const healthy = await fetch(`${record.origin}/healthz`, { signal: AbortSignal.timeout(3000) }).then(
    (res) => res.ok,
    () => false,
  );
  return healthy ? record.origin : undefined;
}

// Where to reach the app when the user gave no --url: where it runs now, else where settings.json
// says it will (the app may be starting, or run by an older version that writes no record).
export async function appOrigin(dataDir: string): Promise<string> {
  return (await findRunningApp(dataDir)) ?? `http://127.0.0.1:${(await loadSettings(dataDir)).http.port}`;
}
