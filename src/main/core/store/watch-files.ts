import { watch, type FSWatcher } from 'node:fs';

// Calls a reload when one of the data directory's files changes, so the app follows what the CLI
// (another process) did. Bursts of events for one save are folded into one reload. A reload that
// fails (a half-edited file) keeps the last good state; the next save tries again.
export function watchFiles(
  dir: string,
  handlers: Record<string, () => Promise<void>>,
  delayMs = 150,
): () => void {
  const timers = new Map<string, NodeJS.Timeout>();
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, (_event, filename) => {
      const name = filename?.toString();
      const handler = name ? handlers[name] : undefined;
      if (!name || !handler) return;
      clearTimeout(timers.get(name));
      timers.set(
        name,
        setTimeout(() => void handler().catch(() => undefined), delayMs),
      );
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // Some filesystems cannot be watched; the app then picks up outside changes at its next start.
  }
  return () => {
    for (const timer of timers.values()) clearTimeout(timer);
    watcher?.close();
  };
}
