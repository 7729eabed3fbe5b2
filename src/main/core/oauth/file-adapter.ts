import { join } from 'node:path';
import { z } from 'zod';
import { OwnWrites, storeLoader } from '../store/json-file';

const recordSchema = z
  .object({ payload: z.record(z.string(), z.unknown()), expiresAt: z.number().optional() })
  .strict();
const fileSchema = z
  .object({ version: z.literal(1), models: z.record(z.string(), z.record(z.string(), recordSchema)) })
  .strict();
type Store = z.infer<typeof fileSchema>['models'];

type Payload = Record<string, unknown> & {
  grantId?: string;
  uid?: string;
  userCode?: string;
  consumed?: number;
};

// oidc-provider's storage, kept in oauth.json in the data directory: clients, grants, refresh
// tokens and interactions survive a restart. Writes are atomic and serialised; expired records
// are dropped when read and when the file is written.
export interface OAuthStoreOptions {
  now?: () => number;
  // Clients that are not stored but described by a document at their client_id URL (CIMD).
  resolveClient?: (clientId: string) => Promise<Payload | undefined>;
}

export async function openOAuthStore(dataDir: string, storeOptions: OAuthStoreOptions = {}) {
  const now = storeOptions.now ?? Date.now;
  const file = join(dataDir, 'oauth.json');
  const own = new OwnWrites(file);
  const read = storeLoader(file, fileSchema, () => ({ version: 1 as const, models: {} }));
  const load = async () => (await read()).models;
  let models: Store = await load();
  let writing = Promise.resolve();
  const listeners = new Set<() => void>();

  const live = (record: { expiresAt?: number | undefined } | undefined) =>
    Boolean(record && (record.expiresAt === undefined || record.expiresAt > now()));
  // Changes made while a write is queued ride along with it: a burst of token requests costs one
  // file write, not one per token, and each change still resolves only once it is on disk.
  let queued = false;
  // Expired records are swept at most once a second, not on every change: with thousands of live
  // tokens a sweep per issued token made issuing quadratic.
  let sweptAt = 0;
  const persist = () => {
    if (now() - sweptAt >= 1000) {
      sweptAt = now();
      for (const records of Object.values(models))
        for (const [id, r] of Object.entries(records)) if (!live(r)) delete records[id];
    }
    if (!queued) {
      queued = true;
      writing = writing
        .then(() => {
          queued = false;
          return own.save(JSON.parse(JSON.stringify({ version: 1, models })) as unknown);
        })
        .catch(() => undefined);
    }
    for (const listener of listeners) listener();
    return writing;
  };

  class FileAdapter {
    constructor(readonly model: string) {}
    get records() {
      return (models[this.model] ??= {});
    }
    async upsert(id: string, payload: Payload, expiresIn?: number) {
      this.records[id] = { payload, ...(expiresIn ? { expiresAt: now() + expiresIn * 1000 } : {}) };
      await persist();
    }
    async find(id: string): Promise<Payload | undefined> {
      const record = this.records[id];
      if (live(record)) return record!.payload as Payload;
      if (this.model === 'Client' && storeOptions.resolveClient) return storeOptions.resolveClient(id);
      return undefined;
    }
    async findByUid(uid: string) {
      return Object.values(this.records).find((r) => live(r) && r.payload.uid === uid)?.payload as
        Payload | undefined;
    }
    async findByUserCode(userCode: string) {
      return Object.values(this.records).find((r) => live(r) && r.payload.userCode === userCode)?.payload as
        Payload | undefined;
    }
    async consume(id: string) {
      const record = this.records[id];
      if (record) record.payload.consumed = Math.floor(now() / 1000);
      await persist();
    }
    async destroy(id: string) {
      delete this.records[id];
      await persist();
    }
    async revokeByGrantId(grantId: string) {
      for (const records of Object.values(models))
        for (const [id, r] of Object.entries(records)) if (r.payload.grantId === grantId) delete records[id];
      await persist();
    }
  }

  return {
    Adapter: FileAdapter,
    list(model: string): Payload[] {
      return Object.values(models[model] ?? {})
        .filter(live)
        .map((r) => r.payload as Payload);
    },
    get(model: string, id: string): Payload | undefined {
      const record = models[model]?.[id];
      return live(record) ? (record!.payload as Payload) : undefined;
    },
    flush: () => writing,
    holdsOwnWrite: () => own.holdsOwnWrite(),
    onChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    // Another process (the CLI) changed oauth.json.
    async reload() {
      await writing;
      models = await load();
      for (const listener of listeners) listener();
    },
  };
}

export type OAuthStore = Awaited<ReturnType<typeof openOAuthStore>>;
