import type { Unsubscribe } from '../../../shared/contract-kit';
import type { Health, ServerView } from '../../../shared/servers';
import type { ContainerFacts } from '../docker/inspect-container';
import type { EngineMonitor } from '../docker/engine-monitor';
import type { SecretStore } from '../secrets/secret-store';
import type { ContainerOwnership } from './container-ownership';
import type { ServerRegistry } from './server-registry';

export interface ServerStateDeps {
  registry: ServerRegistry;
  engine: EngineMonitor;
  secrets: SecretStore;
  ownership: ContainerOwnership;
}

// What MCP Dock knows of each server beyond its spec (its container as last seen, its health,
// the operation under way) and the views the UI gets of it. Changes are announced by emit(),
// which the operations call once a step is worth showing.
type EgressDenied = NonNullable<ServerView['egressSeen']>['denied'][number];

export class ServerState {
  readonly #facts = new Map<string, ContainerFacts | undefined>();
  readonly #health = new Map<string, Health>();
  readonly #busy = new Map<string, string>();
  // Connections each allow-listed server's proxy allowed and refused since the app started.
  readonly #egress = new Map<string, { allowed: number; denied: Map<string, EgressDenied> }>();
  #egressTimer: NodeJS.Timeout | undefined;
  readonly #listeners = new Set<(views: ServerView[]) => void>();
  #closed = false;

  constructor(private readonly deps: ServerStateDeps) {}

  facts(server: string): ContainerFacts | undefined {
    return this.#facts.get(server);
  }

  setFacts(server: string, facts: ContainerFacts | undefined): void {
    this.#facts.set(server, facts);
  }

  // The container's id while it runs (the gateway restarts its client when it changes).
  runningId(server: string): string | undefined {
    const info = this.#facts.get(server);
    return info?.state === 'running' ? info.id : undefined;
  }

  health(server: string): Health | undefined {
    return this.#health.get(server);
  }

  setHealth(server: string, health: Health): void {
    this.#health.set(server, health);
  }

  clearHealth(server: string): void {
    this.#health.delete(server);
  }

  // Shown on the card while an operation runs; announced at once.
  setBusy(server: string, marker: string | undefined): void {
    if (marker) this.#busy.set(server, marker);
    else this.#busy.delete(server);
    this.emit();
  }

  // A removed server leaves nothing behind.
  forget(server: string): void {
    this.#facts.delete(server);
    this.#health.delete(server);
    this.#egress.delete(server);
  }

  // One connection the server's proxy allowed or refused. Busy servers make many: the cards hear
  // of them at most twice a second.
  recordEgress(
    server: string,
    record: { event: 'allowed' | 'denied'; host: string; port: number },
    at: Date,
  ): void {
    let seen = this.#egress.get(server);
    if (!seen) this.#egress.set(server, (seen = { allowed: 0, denied: new Map() }));
    if (record.event === 'allowed') seen.allowed++;
    else {
      const key = `${record.host}:${record.port}`;
      const before = seen.denied.get(key);
      seen.denied.set(key, {
        host: record.host,
        port: record.port,
        count: (before?.count ?? 0) + 1,
        lastAt: at.toISOString(),
      });
      // The newest refusals are what the card offers to allow; a flood keeps only the latest 50.
      if (seen.denied.size > 50) seen.denied.delete(seen.denied.keys().next().value!);
    }
    this.#egressTimer ??= setTimeout(() => {
      this.#egressTimer = undefined;
      this.emit();
    }, 500);
  }

  view(server: string): ServerView {
    const { registry, engine, secrets, ownership } = this.deps;
    const { spec, source } = registry.get(server);
    // Without an engine the last facts may be stale, and "absent" would be a guess.
    const info = engine.connection() ? this.#facts.get(server) : undefined;
    const adopted = Boolean(info && ownership.of(spec, info) === 'adopted');
    const container: ServerView['container'] = info
      ? { state: info.state, id: info.id, adopted, image: info.image }
      : { state: engine.connection() ? 'absent' : 'unknown', adopted: false };
    if (info?.startedAt) container.startedAt = info.startedAt;
    if (info?.exitCode !== undefined) container.exitCode = info.exitCode;
    const view: ServerView = {
      spec,
      source,
      containerName: ownership.containerName(spec),
      container,
      health: this.#health.get(server) ?? { status: 'unknown' },
      secretsSet: secrets.names(server),
    };
    const egress = this.#egress.get(server);
    if (spec.network === 'egress')
      view.egressSeen = {
        allowed: egress?.allowed ?? 0,
        denied: [...(egress?.denied.values() ?? [])].sort((a, b) => (a.lastAt < b.lastAt ? 1 : -1)),
      };
    const marker = this.#busy.get(server);
    if (marker) view.busy = marker;
    return view;
  }

  list(): ServerView[] {
    return this.deps.registry.list().map(({ spec }) => this.view(spec.name));
  }

  emit(): void {
    if (this.#closed) return;
    const views = this.list();
    for (const listener of this.#listeners) listener(views);
  }

  onChanged(listener: (views: ServerView[]) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    clearTimeout(this.#egressTimer);
    this.#closed = true;
    this.#listeners.clear();
  }
}
