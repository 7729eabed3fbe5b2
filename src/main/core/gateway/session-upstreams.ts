import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import { UpstreamClosedError } from './gateway-errors';
import { changedKinds, listOf, type ListKind, type OwnSession, type UpstreamPool } from './upstream-pool';
import type { ForwardOptions, UpstreamNotification, UpstreamRequest } from './upstream-session';

type Params = Record<string, unknown>;

// How a gateway session hears from its upstream sessions: a server's request to the client, or a
// notification, each with the id of the client's request it belongs to (the newest request of
// the client's still in flight at that server), if any.
export interface SessionUpstreamsEvents {
  onRequest(server: string, request: UpstreamRequest, related: RequestId | undefined): Promise<Params>;
  onNotification(server: string, notification: UpstreamNotification, related: RequestId | undefined): void;
}

// One server's session of this gateway session's own: its lists as this client sees them (a
// server may list more to a client that declared more), read when first asked for and again
// after the server says one changed.
export class OwnUpstream {
  readonly #lists = new Map<ListKind, Promise<unknown[]>>();
  // The client's requests at this server still in flight, oldest first.
  readonly inFlight: RequestId[] = [];

  constructor(
    readonly server: string,
    readonly own: OwnSession,
    private readonly timeoutMs: number,
  ) {}

  get capabilities(): Params {
    return this.own.capabilities;
  }

  list(kind: ListKind): Promise<unknown[]> {
    let list = this.#lists.get(kind);
    if (!list) {
      list = listOf(this.own.session, this.own.capabilities, kind, this.timeoutMs);
      this.#lists.set(kind, list);
      list.catch(() => this.#lists.get(kind) === list && this.#lists.delete(kind));
    }
    return list;
  }

  stale(kinds: readonly ListKind[]): void {
    for (const kind of kinds) this.#lists.delete(kind);
  }

  // Forwards the client's request, remembering it as in flight while it runs, so that what the
  // server sends meanwhile goes to the client tied to it.
  async forward(
    method: string,
    params: Params | undefined,
    requestId: RequestId | undefined,
    options: ForwardOptions,
  ): Promise<Params> {
    if (requestId !== undefined) this.inFlight.push(requestId);
    try {
      return await this.own.session.forward(method, params, options);
    } finally {
      if (requestId !== undefined) this.inFlight.splice(this.inFlight.lastIndexOf(requestId), 1);
    }
  }

  related(): RequestId | undefined {
    return this.inFlight[this.inFlight.length - 1];
  }
}

// The upstream sessions one gateway session holds: one per server it has used, opened when first
// needed with the capabilities its client declared, closed with it. What a client sets up on a
// server (its log level, its subscriptions, its roots, what the server keeps per session) is so
// its own. A session the server ended (a restart, a crash) is opened again at the next need, with
// the client's log level and subscriptions set up again.
export class SessionUpstreams {
  readonly #opening = new Map<string, Promise<OwnUpstream>>();
  readonly #opened = new Map<string, OwnUpstream>();
  // Kept across sessions of the same server, to set them up again on a new one.
  readonly #subscriptions = new Map<string, Set<string>>();
  #logLevel: string | undefined;
  #closed = false;
  readonly #stopWatching: () => void;

  constructor(
    private readonly pool: UpstreamPool,
    private readonly clientCapabilities: () => Params,
    private readonly events: SessionUpstreamsEvents,
    private readonly timeoutMs: () => number,
  ) {
    // A server the gateway no longer serves (stopped, removed, failed) takes this client's
    // session with it.
    this.#stopWatching = pool.onChanged(() => {
      const ready = new Set(
        pool
          .list()
          .filter((u) => u.state === 'ready')
          .map((u) => u.server),
      );
      for (const server of [...this.#opened.keys()]) if (!ready.has(server)) this.#drop(server);
    });
  }

  // The open session with a server, if there is one (lists read it instead of the catalog).
  opened(server: string): OwnUpstream | undefined {
    return this.#opened.get(server);
  }

  get(server: string): Promise<OwnUpstream> {
    const open = this.#opened.get(server);
    if (open) return Promise.resolve(open);
    let opening = this.#opening.get(server);
    if (!opening) {
      opening = this.#open(server).finally(() => this.#opening.delete(server));
      this.#opening.set(server, opening);
    }
    return opening;
  }

  // The level a client set applies to every server it reaches, now and when opened later.
  async setLogLevel(level: string): Promise<void> {
    this.#logLevel = level;
    await Promise.all(
      [...this.#opened.values()]
        .filter((u) => u.capabilities.logging)
        .map((u) => u.own.session.forward('logging/setLevel', { level }, { timeoutMs: this.timeoutMs() })),
    );
  }

  get logLevel(): string | undefined {
    return this.#logLevel;
  }

  subscribed(server: string, uri: string, on: boolean): void {
    const set = this.#subscriptions.get(server) ?? new Set<string>();
    if (on) set.add(uri);
    else set.delete(uri);
    this.#subscriptions.set(server, set);
  }

  // A notification the client sends about itself (its roots changed) goes to every server it uses.
  async notifyAll(method: string, params?: Params): Promise<void> {
    await Promise.all(
      [...this.#opened.values()].map((u) => u.own.session.notify(method, params).catch(() => undefined)),
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stopWatching();
    const opening = [...this.#opening.values()];
    for (const server of [...this.#opened.keys()]) this.#drop(server);
    await Promise.allSettled(opening.map((o) => o.then((u) => u.own.session.close())));
  }

  #drop(server: string): void {
    const up = this.#opened.get(server);
    this.#opened.delete(server);
    void up?.own.session.close().catch(() => undefined);
  }

  async #open(server: string): Promise<OwnUpstream> {
    // Set once the handshake is over; a server may speak before (roots/list at initialized).
    const ref: { up?: OwnUpstream } = {};
    const own = await this.pool.openSession(server, {
      capabilities: this.clientCapabilities(),
      // A server that stalls at the handshake fails the call that waited for it within the call
      // timeout, named, instead of running into the reply's deadline unnamed.
      timeoutMs: this.timeoutMs(),
      onRequest: (request) => this.events.onRequest(server, request, ref.up?.related()),
      onNotification: (notification) => {
        const kinds = changedKinds(notification.method);
        if (kinds) ref.up?.stale(kinds);
        this.events.onNotification(server, notification, ref.up?.related());
      },
      onClose: () => {
        if (ref.up && this.#opened.get(server) === ref.up) this.#opened.delete(server);
      },
    });
    const up = new OwnUpstream(server, own, this.timeoutMs());
    ref.up = up;
    try {
      if (this.#closed) throw new UpstreamClosedError();
      const timeoutMs = this.timeoutMs();
      if (this.#logLevel && own.capabilities.logging)
        await own.session.forward('logging/setLevel', { level: this.#logLevel }, { timeoutMs });
      for (const uri of this.#subscriptions.get(server) ?? [])
        await own.session.forward('resources/subscribe', { uri }, { timeoutMs });
    } catch (error) {
      await own.session.close().catch(() => undefined);
      throw error;
    }
    this.#opened.set(server, up);
    return up;
  }
}
