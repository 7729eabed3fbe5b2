import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { OwnWrites, storeLoader } from '../store/json-file';
import { ISSUED, REVOKED } from './token-models';
import { openRecordJournal, type JournalRecord } from './record-journal';

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
// are dropped when read and when the file is written. The record of each issued access token
// (one per token, thousands under load) goes to an append-only journal beside it instead
// (oauth-tokens.jsonl): rewriting oauth.json whole for each of them made issuing O(live tokens).
export const ISSUED_TOKENS_FILE = 'oauth-tokens.jsonl';
// Token-list watchers (the Tokens pane refetches everything) hear of issued tokens at most this
// often: a burst of token requests is one notification, not one per token.
const JOURNAL_NOTIFY_MS = 100;
// How long a revocation is kept for a token whose record names no expiry (none should): a day,
// far beyond any access-token lifetime settings allow.
const REVOKED_FALLBACK_MS = 86_400_000;

// Marks on a stored client that only MCP Dock reads (oidc-provider drops metadata it does not
// know): when it registered itself, and when it was first granted anything.
const SELF_REGISTERED_AT = 'x_mcp_dock_self_registered_at';
const FIRST_USED_AT = 'x_mcp_dock_first_used_at';

export interface ClientRegistration {
  // It registered itself (RFC 7591); clients made in the app or the CLI did not.
  selfRegistered: boolean;
  // Seconds since the epoch.
  registeredAt?: number;
  // Self-registered and never granted anything yet: it lapses at `expiresAt` (seconds).
  unused: boolean;
  expiresAt?: number;
}

export interface OAuthStoreOptions {
  now?: () => number;
  // Clients that are not stored but described by a document at their client_id URL (CIMD).
  resolveClient?: (clientId: string) => Promise<Payload | undefined>;
}

// One model's records: an object in oauth.json, or the journal for issued tokens.
interface Table {
  get(id: string): JournalRecord | undefined;
  values(): JournalRecord[];
  put(id: string, record: JournalRecord): Promise<void>;
  delete(id: string): Promise<void>;
}

export async function openOAuthStore(dataDir: string, storeOptions: OAuthStoreOptions = {}) {
  const now = storeOptions.now ?? Date.now;
  const file = join(dataDir, 'oauth.json');
  const own = new OwnWrites(file);
  const read = storeLoader(file, fileSchema, () => ({ version: 1 as const, models: {} }));
  const load = async () => (await read()).models;
  let models: Store = await load();
  // The oauth.json (mtime and size) a lookup miss last compared with what is in memory.
  let checked: string | undefined;
  let writing = Promise.resolve();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  const journal = await openRecordJournal(join(dataDir, ISSUED_TOKENS_FILE), now);
  let notifyTimer: NodeJS.Timeout | undefined;
  const notifySoon = () => {
    notifyTimer ??= setTimeout(() => {
      notifyTimer = undefined;
      notify();
    }, JOURNAL_NOTIFY_MS).unref();
  };

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
      journal.sweep();
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
    notify();
    return writing;
  };
  const journalChanged = (written: Promise<void>) => {
    notifySoon();
    return written;
  };

  // Records oauth.json held before the journal existed move there, so no issued token is lost.
  const legacy = models[ISSUED];
  if (legacy) {
    delete models[ISSUED];
    await Promise.all(Object.entries(legacy).map(([id, r]) => journal.put(id, r)));
    await persist();
  }

  const fileTable = (model: string): Table => {
    const records = () => (models[model] ??= {});
    return {
      get: (id) => {
        const r = records()[id];
        return live(r) ? r : undefined;
      },
      values: () => Object.values(records()).filter(live),
      put: (id, record) => {
        records()[id] = {
          payload: record.payload,
          ...(record.expiresAt ? { expiresAt: record.expiresAt } : {}),
        };
        return persist();
      },
      delete: (id) => {
        delete records()[id];
        return persist();
      },
    };
  };
  const journalTable: Table = {
    get: (id) => journal.get(id),
    values: () => journal.values(),
    put: (id, record) => journalChanged(journal.put(id, record)),
    delete: (id) => journalChanged(journal.delete(id)),
  };
  // Looked up per request (the client and revocation checks at /hello and /mcp): made once.
  const tables = new Map<string, Table>([[ISSUED, journalTable]]);
  const table = (model: string): Table => {
    let found = tables.get(model);
    if (!found) tables.set(model, (found = fileTable(model)));
    return found;
  };

  // A self-registered client's first grant: from then on it is kept like any other.
  const markUsed = (clientId: string) => {
    const record = models.Client?.[clientId];
    if (!record || !live(record) || record.expiresAt === undefined) return;
    if (typeof record.payload[SELF_REGISTERED_AT] !== 'number') return;
    record.payload[FIRST_USED_AT] = Math.floor(now() / 1000);
    delete record.expiresAt;
  };

  class FileAdapter {
    readonly #table: Table;
    constructor(readonly model: string) {
      this.#table = table(model);
    }
    async upsert(id: string, payload: Payload, expiresIn?: number) {
      if (this.model === 'Grant' && typeof payload.clientId === 'string') markUsed(payload.clientId);
      await this.#table.put(id, { payload, ...(expiresIn ? { expiresAt: now() + expiresIn * 1000 } : {}) });
    }
    async find(id: string): Promise<Payload | undefined> {
      const record = this.#table.get(id);
      if (record) return record.payload as Payload;
      if (this.model === 'Client' && storeOptions.resolveClient) return storeOptions.resolveClient(id);
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
      record.payload.consumed = Math.floor(now() / 1000);
      await this.#table.put(id, record);
    }
    async destroy(id: string) {
      await this.#table.delete(id);
    }
    // oidc-provider calls this when a grant ends (a replayed refresh token or code, a revoked
    // refresh token, the panel). Its JWT access tokens carry no grant a resource could look up, so
    // each is marked revoked until it would expire: /hello and /mcp refuse it from this moment.
    async revokeByGrantId(grantId: string) {
      const journaled = [...journal.entries()].filter(([, r]) => r.payload.grantId === grantId);
      // Called once per token model for the same grant: the revocations of the first call stay.
      for (const [model, records] of Object.entries(models))
        if (model !== REVOKED)
          for (const [id, r] of Object.entries(records))
            if (r.payload.grantId === grantId) delete records[id];
      const revoked = (models[REVOKED] ??= {});
      for (const [jti, r] of journaled)
        revoked[jti] = {
          payload: { jti, clientId: r.payload.clientId, grantId },
          expiresAt: r.expiresAt ?? now() + REVOKED_FALLBACK_MS,
        };
      await Promise.all([...journaled.map(([id]) => journal.delete(id)), persist()]);
    }
  }

  return {
    Adapter: FileAdapter,
    list(model: string): Payload[] {
      return table(model)
        .values()
        .map((r) => r.payload as Payload);
    },
    get(model: string, id: string): Payload | undefined {
      return table(model).get(id)?.payload as Payload | undefined;
    },
    // Called once oidc-provider stored a client that registered itself: it lapses if nothing is
    // granted to it within `unusedTtlS`, and past `maxUnused` such clients the oldest goes, so
    // unauthenticated registrations cannot grow oauth.json without bound.
    async markSelfRegistered(clientId: string, limits: { unusedTtlS: number; maxUnused: number }) {
      const clients = (models.Client ??= {});
      const record = clients[clientId];
      if (!record) return;
      record.payload[SELF_REGISTERED_AT] = Math.floor(now() / 1000);
      record.expiresAt = now() + limits.unusedTtlS * 1000;
      const unused = Object.entries(clients)
        .filter(
          ([, r]) =>
            live(r) && r.expiresAt !== undefined && typeof r.payload[SELF_REGISTERED_AT] === 'number',
        )
        .sort(
          ([, a], [, b]) => Number(a.payload[SELF_REGISTERED_AT]) - Number(b.payload[SELF_REGISTERED_AT]),
        );
      for (const [id] of unused.slice(0, Math.max(0, unused.length - limits.maxUnused))) delete clients[id];
      await persist();
    },
    registration(clientId: string): ClientRegistration | undefined {
      const record = table('Client').get(clientId);
      if (!record) return undefined;
      const at = record.payload[SELF_REGISTERED_AT];
      const issuedAt = record.payload.client_id_issued_at;
      // Before these marks existed, only registration made public clients.
      const selfRegistered = typeof at === 'number' || record.payload.token_endpoint_auth_method === 'none';
      const registeredAt = typeof at === 'number' ? at : typeof issuedAt === 'number' ? issuedAt : undefined;
      const unused = typeof at === 'number' && record.expiresAt !== undefined;
      return {
        selfRegistered,
        ...(registeredAt !== undefined ? { registeredAt } : {}),
        unused,
        ...(unused ? { expiresAt: Math.floor(record.expiresAt! / 1000) } : {}),
      };
    },
    flush: async () => {
      await Promise.all([writing, journal.flush()]);
    },
    holdsOwnWrite: () => own.holdsOwnWrite(),
    // The journal of issued tokens, followed like oauth.json (the CLI issues tokens too).
    issuedTokens: {
      holdsOwnWrite: () => journal.holdsOwnWrite(),
      async reload() {
        await journal.reload();
        notify();
      },
    },
    onChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    // A lookup that found nothing reads oauth.json again when another process (the CLI) wrote it
    // since: a client made there a moment ago is known before the file watcher says so. True when
    // something was reloaded.
    async catchUp(): Promise<boolean> {
      // Misses are what a guesser produces: a stat each, and a read only when the file changed.
      const now = await stat(file).then(
        (s) => `${s.mtimeMs}:${s.size}`,
        () => undefined,
      );
      if (now === undefined || now === checked) return false;
      checked = now;
      if (await own.holdsOwnWrite()) return false;
      await this.reload();
      return true;
    },
    // Another process (the CLI) changed oauth.json.
    async reload() {
      await writing;
      models = await load();
      notify();
    },
  };
}

export type OAuthStore = Awaited<ReturnType<typeof openOAuthStore>>;
