import type { DockApi } from '../../../../../shared/contract';
import type { ClashChoice, ServerSpecInput } from '../../../../../shared/servers';
import { describeError } from '../../../common/describe-error';
import { appendLogs, setError, setLogs, setOrphans, setPull, setViews } from './servers-store';

let api: DockApi | undefined;

function dock(): DockApi {
  if (!api) throw new Error('servers sync not started');
  return api;
}

function codeOf(error: unknown): string {
  return (error as { code?: string }).code ?? 'INTERNAL';
}

// Runs one action for a server; a failure lands in the store next to that server, with its code,
// so the card can say what happened and offer what to do next.
async function act(server: string, action: string, work: () => Promise<unknown>): Promise<boolean> {
  setError(server, undefined);
  try {
    await work();
    return true;
  } catch (error) {
    setError(server, { code: codeOf(error), message: (error as Error).message, action });
    return false;
  }
}

export function startServersSync(dock: DockApi): () => void {
  api = dock;
  const stops = [
    dock.servers.onChanged(setViews),
    dock.servers.onPullProgress(({ server, ...progress }) => setPull(server, progress)),
    dock.servers.onLogs(({ server, lines }) => appendLogs(server, lines)),
  ];
  void refreshServers();
  return () => stops.forEach((stop) => stop());
}

export async function refreshServers(): Promise<void> {
  try {
    setViews(await dock().servers.list());
    setOrphans(await dock().servers.orphans());
  } catch {
    // The engine or the bridge is away; the status bar already says so, and a push refreshes later.
  }
}

export const startServer = (name: string, onClash?: ClashChoice) =>
  act(name, 'start', () => dock().servers.start(onClash ? { name, onClash } : { name }));
export const stopServer = (name: string) => act(name, 'stop', () => dock().servers.stop({ name }));
export const restartServer = (name: string) => act(name, 'restart', () => dock().servers.restart({ name }));
export const removeContainer = (name: string) =>
  act(name, 'remove container', () => dock().servers.removeContainer({ name }));
export const probeServer = (name: string) => act(name, 'probe', () => dock().servers.probe({ name }));
export const pullImage = (name: string) => act(name, 'pull', () => dock().servers.pull({ name }));
export const deleteServer = (name: string) => act(name, 'delete', () => dock().servers.remove({ name }));

export async function loadLogs(name: string): Promise<void> {
  try {
    setLogs(name, await dock().servers.logs({ name }));
  } catch (error) {
    setError(name, { code: codeOf(error), message: (error as Error).message, action: 'logs' });
  }
}

export async function removeOrphan(id: string): Promise<void> {
  await dock().servers.removeOrphan({ id });
  setOrphans(await dock().servers.orphans());
}

// Add and edit report their error to the form instead of a card: the server may not exist yet.
export async function saveServer(
  original: string | undefined,
  spec: ServerSpecInput,
  secretValues: Record<string, string>,
): Promise<string | undefined> {
  try {
    const values = Object.keys(secretValues).length > 0 ? { secretValues } : {};
    if (original) await dock().servers.update({ name: original, spec, ...values });
    else await dock().servers.add({ spec, ...values });
    await refreshServers();
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}
