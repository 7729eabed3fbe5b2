import type { JournalRecord } from './record-journal';

export type Payload = Record<string, unknown> & {
  grantId?: string;
  uid?: string;
  userCode?: string;
  consumed?: number;
};

// One model's records: an object in oauth.json, or the journal for issued tokens.
export interface Table {
  get(id: string): JournalRecord | undefined;
  values(): JournalRecord[];
  put(id: string, record: JournalRecord): Promise<void>;
  delete(id: string): Promise<void>;
}

// What the adapter needs of the OAuth store (file-adapter.ts).
export interface AdapterBacking {
  table(model: string): Table;
  // A self-registered client's first grant: from then on it is kept like any other.
  markClientUsed(clientId: string): void;
  // Clients that are not stored but described by a document at their client_id URL (CIMD).
  resolveClient: ((clientId: string) => Promise<Payload | undefined>) | undefined;
  revokeByGrantId(grantId: string): Promise<void>;
  now(): number;
}

// The adapter interface oidc-provider stores its models through; it makes one per model
// (`new Adapter('Client')`), so the class is made per store and closes over it.
export function storeAdapter(store: AdapterBacking) {
  return class FileAdapter {
    readonly #table: Table;
    constructor(readonly model: string) {
      this.#table = store.table(model);
    }
    async upsert(id: string, payload: Payload, expiresIn?: number) {
      if (this.model === 'Grant' && typeof payload.clientId === 'string')
        store.markClientUsed(payload.clientId);
      await this.#table.put(id, {
        payload,
        ...(expiresIn ? { expiresAt: store.now() + expiresIn * 1000 } : {}),
      });
    }
    async find(id: string): Promise<Payload | undefined> {
      const record = this.#table.get(id);
      if (record) return record.payload as Payload;
      if (this.model === 'Client' && store.resolveClient) return store.resolveClient(id);
      return undefined;
    }
    async findByUid(uid: string) {
      return this.#table.values().find((r) => r.payload.uid === uid)?.payload as Payload | undefined;
    }
    async findByUserCode(userCode: string) {
      return this.#table.values().find((r) => r.payload.userCode === userCode)?.payload as
        Payload | undefined;
    }
    async consume(id: string) {
      const record = this.#table.get(id);
      if (!record) return;
      record.payload.consumed = Math.floor(store.now() / 1000);
      await this.#table.put(id, record);
    }
    async destroy(id: string) {
      await this.#table.delete(id);
    }
    // oidc-provider calls this when a grant ends (a replayed refresh token or code, a revoked
    // refresh token, the panel); see OAuthStore.revokeByGrantId.
    async revokeByGrantId(grantId: string) {
      await store.revokeByGrantId(grantId);
    }
  };
}

export type StoreAdapter = ReturnType<typeof storeAdapter>;
