import { watch, type FSWatcher } from 'node:fs';

// What became of one outside change: taken in, or refused (the last good state stays).
export type FileReload = { file: string; ok: true } | { file: string; ok: false; error: unknown };

// Calls a reload when one of the data directory's files changes, so the app follows what the CLI
// (another process) did. Bursts of events for one save are folded into one reload. A reload that
// fails (a half-edited file) keeps the last good state; the next save tries again, and `onReload`
// hears of both, so the failure can be told to the person who made the edit.
export function watchFiles(
  dir: string,
  handlers: Record<string, () => Promise<void>>,
  { delayMs = 150, onReload }: { delayMs?: number; onReload?: (reload: FileReload) => void } = {},
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
        setTimeout(
          () =>
            void handler().then(
              () => onReload?.({ file: name, ok: true }),
              (error: unknown) => onReload?.({ file: name, ok: false, error }),
            ),
          delayMs,
        ),
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
