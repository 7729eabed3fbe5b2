// A store that another process (the CLI) may write: the app reloads it when its file changes,
// unless the change on disk is the store's own write, which it already holds in memory.
export interface FollowedStore {
  holdsOwnWrite(): Promise<boolean>;
  reload(): Promise<void>;
}

export type FileFollowers = Record<string, () => Promise<void>>;

export function followFile(store: FollowedStore, then?: () => Promise<unknown>): () => Promise<void> {
  return async () => {
    if (await store.holdsOwnWrite()) return;
    await store.reload();
    await then?.();
  };
}
