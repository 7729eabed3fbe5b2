import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { OwnWrites, storeLoader } from '../store/json-file';
import { ISSUED, REVOKED } from './token-models';
import { storeAdapter, type Payload, type StoreAdapter, type Table } from './oidc-store-adapter';
import { openRecordJournal } from './record-journal';

const recordSchema = z
  .object({ payload: z.record(z.string(), z.unknown()), expiresAt: z.number().optional() })
  .strict();
const fileSchema = z
  .object({ version: z.literal(1), models: z.record(z.string(), z.record(z.string(), recordSchema)) })
  .strict();
type Store = z.infer<typeof fileSchema>['models'];

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

type RecordJournal = Awaited<ReturnType<typeof openRecordJournal>>;
type Loader = () => Promise<z.infer<typeof fileSchema>>;

export async function openOAuthStore(dataDir: string, options: OAuthStoreOptions = {}): Promise<OAuthStore> {
  return OAuthStore.open(dataDir, options);
}

export class OAuthStore {
  // oidc-provider's adapter class for this store (`new Adapter('Client')`).
  readonly Adapter: StoreAdapter;
  // The journal of issued tokens, followed like oauth.json (the CLI issues tokens too).
  readonly issuedTokens: { holdsOwnWrite(): Promise<boolean>; reload(): Promise<void> };
  readonly #file: string;
  readonly #own: OwnWrites;
  readonly #read: Loader;
  readonly #now: () => number;
  readonly #journal: RecordJournal;
  #models: Store;
  // The oauth.json (mtime and size) a lookup miss last compared with what is in memory.
  #checked: string | undefined;
  #writing = Promise.resolve();
  // Changes made while a write is queued ride along with it: a burst of token requests costs one
  // file write, not one per token, and each change still resolves only once it is on disk.
  #queued = false;
  // Expired records are swept at most once a second, not on every change: with thousands of live
  // tokens a sweep per issued token made issuing quadratic.
  #sweptAt = 0;
  #notifyTimer: NodeJS.Timeout | undefined;
  readonly #listeners = new Set<() => void>();
  // Looked up per request (the client and revocation checks at /hello and /mcp): made once.
  readonly #tables: Map<string, Table>;

  static async open(dataDir: string, options: OAuthStoreOptions = {}): Promise<OAuthStore> {
    const now = options.now ?? Date.now;
    const file = join(dataDir, 'oauth.json');
    const read = storeLoader(file, fileSchema, () => ({ version: 1 as const, models: {} }));
    const models = (await read()).models;
    const journal = await openRecordJournal(join(dataDir, ISSUED_TOKENS_FILE), now);
    const store = new OAuthStore(file, read, models, journal, now, options.resolveClient);
    // Records oauth.json held before the journal existed move there, so no issued token is lost.
    const legacy = models[ISSUED];
    if (legacy) {
      delete models[ISSUED];
      await Promise.all(Object.entries(legacy).map(([id, r]) => journal.put(id, r)));
      await store.#persist();
    }
    return store;
  }

  private constructor(
    file: string,
    read: Loader,
    models: Store,
    journal: RecordJournal,
    now: () => number,
    resolveClient: OAuthStoreOptions['resolveClient'],
  ) {
    this.#file = file;
    this.#own = new OwnWrites(file);
    this.#read = read;
    this.#models = models;
    this.#journal = journal;
    this.#now = now;
    const journalChanged = (written: Promise<void>) => {
      this.#notifySoon();
      return written;
    };
    this.#tables = new Map<string, Table>([
      [
        ISSUED,
        {
          get: (id) => journal.get(id),
          values: () => journal.values(),
          put: (id, record) => journalChanged(journal.put(id, record)),
          delete: (id) => journalChanged(journal.delete(id)),
        },
      ],
    ]);
    this.Adapter = storeAdapter({
      table: (model) => this.#table(model),
      markClientUsed: (clientId) => this.#markClientUsed(clientId),
      resolveClient,
      revokeByGrantId: (grantId) => this.#revokeByGrantId(grantId),
      now,
    });
    this.issuedTokens = {
      holdsOwnWrite: () => journal.holdsOwnWrite(),
      reload: async () => {
        await journal.reload();
        this.#notify();
      },
    };
  }

  list(model: string): Payload[] {
    return this.#table(model)
      .values()
      .map((r) => r.payload as Payload);
  }

  get(model: string, id: string): Payload | undefined {
    return this.#table(model).get(id)?.payload as Payload | undefined;
  }

  // Called once oidc-provider stored a client that registered itself: it lapses if nothing is
  // granted to it within `unusedTtlS`, and past `maxUnused` such clients the oldest goes, so
  // unauthenticated registrations cannot grow oauth.json without bound.
  async markSelfRegistered(clientId: string, limits: { unusedTtlS: number; maxUnused: number }) {
    const now = this.#now;
    const clients = (this.#models.Client ??= {});
    const record = clients[clientId];
    if (!record) return;
    record.payload[SELF_REGISTERED_AT] = Math.floor(now() / 1000);
    record.expiresAt = now() + limits.unusedTtlS * 1000;
    const unused = Object.entries(clients)
      .filter(
        ([, r]) =>
          this.#live(r) && r.expiresAt !== undefined && typeof r.payload[SELF_REGISTERED_AT] === 'number',
      )
      .sort(([, a], [, b]) => Number(a.payload[SELF_REGISTERED_AT]) - Number(b.payload[SELF_REGISTERED_AT]));
    for (const [id] of unused.slice(0, Math.max(0, unused.length - limits.maxUnused))) delete clients[id];
    await this.#persist();
  }

  registration(clientId: string): ClientRegistration | undefined {
    const record = this.#table('Client').get(clientId);
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
  }

  async flush(): Promise<void> {
    await Promise.all([this.#writing, this.#journal.flush()]);
  }

  holdsOwnWrite(): Promise<boolean> {
    return this.#own.holdsOwnWrite();
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // A lookup that found nothing reads oauth.json again when another process (the CLI) wrote it
  // since: a client made there a moment ago is known before the file watcher says so. True when
  // something was reloaded.
  async catchUp(): Promise<boolean> {
    // Misses are what a guesser produces: a stat each, and a read only when the file changed.
    const now = await stat(this.#file).then(
      (s) => `${s.mtimeMs}:${s.size}`,
      () => undefined,
    );
    if (now === undefined || now === this.#checked) return false;
    this.#checked = now;
    if (await this.#own.holdsOwnWrite()) return false;
    await this.reload();
    return true;
  }

  // Another process (the CLI) changed oauth.json.
  async reload(): Promise<void> {
    await this.#writing;
    this.#models = (await this.#read()).models;
    this.#notify();
  }

  #live(record: { expiresAt?: number | undefined } | undefined): boolean {
    return Boolean(record && (record.expiresAt === undefined || record.expiresAt > this.#now()));
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }

  #notifySoon(): void {
    if (this.#notifyTimer !== undefined) return;
    this.#notifyTimer = setTimeout(() => {
      this.#notifyTimer = undefined;
      this.#notify();
    }, JOURNAL_NOTIFY_MS).unref();
  }

  #persist(): Promise<void> {
    const now = this.#now();
    if (now - this.#sweptAt >= 1000) {
      this.#sweptAt = now;
      for (const records of Object.values(this.#models))
        for (const [id, r] of Object.entries(records)) if (!this.#live(r)) delete records[id];
      this.#journal.sweep();
    }
    if (!this.#queued) {
      this.#queued = true;
      this.#writing = this.#writing
        .then(() => {
          this.#queued = false;
          return this.#own.save(JSON.parse(JSON.stringify({ version: 1, models: this.#models })) as unknown);
        })
        .catch(() => undefined);
    }
    this.#notify();
    return this.#writing;
  }

  #table(model: string): Table {
    let found = this.#tables.get(model);
    if (!found) this.#tables.set(model, (found = this.#fileTable(model)));
    return found;
  }

  // Records are looked up in the current models on every call: a reload replaces them.
  #fileTable(model: string): Table {
    const records = () => (this.#models[model] ??= {});
    return {
      get: (id) => {
        const r = records()[id];
        return this.#live(r) ? r : undefined;
      },
      values: () => Object.values(records()).filter((r) => this.#live(r)),
      put: (id, record) => {
        records()[id] = {
          payload: record.payload,
          ...(record.expiresAt ? { expiresAt: record.expiresAt } : {}),
        };
        return this.#persist();
      },
      delete: (id) => {
        delete records()[id];
        return this.#persist();
      },
    };
  }

  // A self-registered client's first grant: from then on it is kept like any other.
  #markClientUsed(clientId: string): void {
    const record = this.#models.Client?.[clientId];
    if (!record || !this.#live(record) || record.expiresAt === undefined) return;
    if (typeof record.payload[SELF_REGISTERED_AT] !== 'number') return;
    record.payload[FIRST_USED_AT] = Math.floor(this.#now() / 1000);
    delete record.expiresAt;
  }

  // oidc-provider calls this when a grant ends (a replayed refresh token or code, a revoked
  // refresh token, the panel). Its JWT access tokens carry no grant a resource could look up, so
  // each is marked revoked until it would expire: /hello and /mcp refuse it from this moment.
  async #revokeByGrantId(grantId: string): Promise<void> {
    const journaled = [...this.#journal.entries()].filter(([, r]) => r.payload.grantId === grantId);
    // Called once per token model for the same grant: the revocations of the first call stay.
    for (const [model, records] of Object.entries(this.#models))
      if (model !== REVOKED)
        for (const [id, r] of Object.entries(records)) if (r.payload.grantId === grantId) delete records[id];
    const revoked = (this.#models[REVOKED] ??= {});
    for (const [jti, r] of journaled)
      revoked[jti] = {
        payload: { jti, clientId: r.payload.clientId, grantId },
        expiresAt: r.expiresAt ?? this.#now() + REVOKED_FALLBACK_MS,
      };
    await Promise.all([...journaled.map(([id]) => this.#journal.delete(id)), this.#persist()]);
  }
}
