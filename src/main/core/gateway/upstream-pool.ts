import {
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  type Prompt,
  type Resource,
  type ResourceTemplate,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { mcpErrorText } from '../mcp/mcp-errors';
import { UpstreamHandshakeError, UpstreamUnavailableError } from './gateway-errors';
import { asMcpError } from './lib/as-mcp-error';
import { UpstreamSession, type UpstreamNotification, type UpstreamRequest } from './upstream-session';
import { APP_VERSION } from '../version';
import type { UpstreamSource } from './upstream-source';

type Params = Record<string, unknown>;

export interface UpstreamLists {
  tools: Tool[];
  prompts: Prompt[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
}
export type ListKind = keyof UpstreamLists;

export interface UpstreamView extends UpstreamLists {
  server: string;
  state: 'connecting' | 'ready' | 'down';
  reason?: string;
  // What the server said of itself at the handshake (as the catalog session saw it).
  capabilities: Params;
  instructions?: string;
  // Sessions of gateway sessions' own open with it now (openSession).
  clientSessions: number;
}

// An upstream session of one gateway session's own, and what the server answered its handshake.
export interface OwnSession {
  session: UpstreamSession;
  capabilities: Params;
  instructions?: string;
}

export interface OpenSessionOptions {
  // The capabilities to declare upstream: those the gateway session's client declared.
  capabilities: Params;
  onRequest: (request: UpstreamRequest) => Promise<Params>;
  onNotification: (notification: UpstreamNotification) => void;
  onClose: () => void;
  // The handshake's bound, when it must be shorter than the pool's own (a call waits on it).
  timeoutMs?: number | undefined;
}

interface Upstream extends UpstreamView {
  session?: UpstreamSession;
  // What this session is bound to; a new container (a restart), URL or token means a new session.
  key: string | undefined;
  generation: number;
  retry?: NodeJS.Timeout;
}

export interface UpstreamPool {
  list(): UpstreamView[];
  // A new session with the server for one gateway session (its state is that client's alone).
  openSession(server: string, options: OpenSessionOptions): Promise<OwnSession>;
  onChanged(listener: () => void): () => void;
  close(): Promise<void>;
}

const RETRY_MS = 2000;

// Every page of a paged list, following nextCursor until the server stops giving one.
export async function listAll<T>(
  fetchPage: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string | undefined }>,
) {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

// The catalog: one upstream session per server, declaring no client capabilities, that the
// gateway lists each server's tools, prompts, resources and templates through, and that tells
// whether the server is up. Calls never go through it: each gateway session opens sessions of its
// own (openSession). A catalog session follows its container: a restart closes it and connects
// anew; a crash marks it down and retries while the server is still meant to be served.
export function createUpstreamPool(options: {
  source: UpstreamSource;
  connectTimeoutMs?: number;
}): UpstreamPool {
  const { source } = options;
  const connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
  const upstreams = new Map<string, Upstream>();
  const listeners = new Set<() => void>();
  let closed = false;
  const emit = () => listeners.forEach((l) => l());

  const drop = (up: Upstream) => {
    if (up.retry) clearTimeout(up.retry);
    up.generation++;
    const session = up.session;
    up.session = undefined;
    void session?.close().catch(() => undefined);
  };

  const refreshLists = async (up: Upstream, session: UpstreamSession, caps: Params, kinds = LIST_KINDS) => {
    for (const kind of kinds)
      (up as UpstreamLists)[kind] = (await listOf(session, caps, kind, connectTimeoutMs)) as never;
  };

  const connect = async (up: Upstream) => {
    const generation = ++up.generation;
    up.state = 'connecting';
    delete up.reason;
    emit();
    let session: UpstreamSession | undefined;
    try {
      const transport = await source.openTransport(up.server);
      let caps: Params = {};
      const opened = new UpstreamSession({
        transport,
        onClose: () => {
          // Before it is ready a failed handshake says why itself (below), once, with one retry.
          if (up.generation !== generation || closed || up.session !== opened) return;
          up.session = undefined;
          up.state = 'down';
          up.reason = closeReasonOf(transport) ?? 'the server’s process ended';
          emit();
          up.retry = setTimeout(() => void reconcile(), RETRY_MS);
        },
        onNotification: (notification) => {
          const kinds = changedKinds(notification.method);
          if (!kinds || up.generation !== generation) return;
          void refreshLists(up, opened, caps, kinds)
            .catch(() => undefined)
            .then(emit);
        },
      });
      session = opened;
      await opened.start();
      const hello = await handshake(opened, {}, connectTimeoutMs);
      caps = hello.capabilities;
      up.capabilities = caps;
      if (hello.instructions !== undefined) up.instructions = hello.instructions;
      else delete up.instructions;
      await refreshLists(up, opened, caps);
      if (up.generation !== generation) {
        await opened.close().catch(() => undefined);
        return;
      }
      up.session = opened;
      up.state = 'ready';
    } catch (error) {
      await session?.close().catch(() => undefined);
      if (up.generation !== generation) return;
      up.state = 'down';
      up.reason = mcpErrorText(asMcpError(error));
      up.retry = setTimeout(() => void reconcile(), RETRY_MS);
    }
    emit();
  };

  const reconcile = async () => {
    if (closed) return;
    const wanted = new Map(source.targets().map((t) => [t.name, t]));
    for (const [name, up] of upstreams) {
      if (!wanted.has(name)) {
        drop(up);
        upstreams.delete(name);
        emit();
      }
    }
    for (const [name, { key }] of wanted) {
      let up = upstreams.get(name);
      if (up && up.key !== key) {
        drop(up);
        upstreams.delete(name);
        up = undefined;
      }
      if (!up) {
        up = {
          server: name,
          state: 'connecting',
          capabilities: {},
          clientSessions: 0,
          tools: [],
          prompts: [],
          resources: [],
          resourceTemplates: [],
          key,
          generation: 0,
        };
        upstreams.set(name, up);
        void connect(up);
      } else if (up.state === 'down' && !up.session) {
        if (up.retry) clearTimeout(up.retry);
        up.retry = undefined;
        void connect(up);
      }
    }
  };

  const stopWatching = source.onChanged(() => void reconcile());
  void reconcile();

  const openSession = async (server: string, o: OpenSessionOptions): Promise<OwnSession> => {
    const up = upstreams.get(server);
    if (up?.state !== 'ready') throw new UpstreamUnavailableError(server, up);
    let counted = true;
    up.clientSessions++;
    emit();
    const uncount = () => {
      if (!counted) return;
      counted = false;
      up.clientSessions--;
      emit();
    };
    const session = new UpstreamSession({
      transport: await source.openTransport(server).catch((error: unknown) => {
        uncount();
        throw error;
      }),
      onRequest: o.onRequest,
      onNotification: o.onNotification,
      onClose: () => {
        uncount();
        o.onClose();
      },
    });
    try {
      await session.start();
      const bound = Math.min(connectTimeoutMs, o.timeoutMs ?? connectTimeoutMs);
      return { session, ...(await handshake(session, o.capabilities, bound)) };
    } catch (error) {
      await session.close().catch(() => undefined);
      uncount();
      throw asMcpError(error);
    }
  };

  return {
    list: () =>
      [...upstreams.values()].map(
        ({
          server,
          state,
          reason,
          capabilities,
          instructions,
          clientSessions,
          tools,
          prompts,
          resources,
          resourceTemplates,
        }) => ({
          server,
          state,
          clientSessions,
          ...(reason ? { reason } : {}),
          capabilities,
          ...(instructions !== undefined ? { instructions } : {}),
          tools,
          prompts,
          resources,
          resourceTemplates,
        }),
      ),
    openSession,
    onChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      stopWatching();
      const all = [...upstreams.values()];
      upstreams.clear();
      for (const up of all) drop(up);
    },
  };
}

// A transport that knows why it closed (a remote server's) says so; a container's process just ends.
function closeReasonOf(transport: unknown): string | undefined {
  const reason = (transport as { closeReason?: unknown }).closeReason;
  return typeof reason === 'string' ? reason : undefined;
}

const LIST_KINDS: readonly ListKind[] = ['tools', 'prompts', 'resources', 'resourceTemplates'];

// Which lists a list_changed notification makes stale.
export function changedKinds(method: string): readonly ListKind[] | undefined {
  if (method === 'notifications/tools/list_changed') return ['tools'];
  if (method === 'notifications/prompts/list_changed') return ['prompts'];
  if (method === 'notifications/resources/list_changed') return ['resources', 'resourceTemplates'];
  return undefined;
}

const LIST_METHODS: Record<
  ListKind,
  { method: string; key: string; id: 'name' | 'uri' | 'uriTemplate'; cap: string }
> = {
  tools: { method: 'tools/list', key: 'tools', id: 'name', cap: 'tools' },
  prompts: { method: 'prompts/list', key: 'prompts', id: 'name', cap: 'prompts' },
  resources: { method: 'resources/list', key: 'resources', id: 'uri', cap: 'resources' },
  resourceTemplates: {
    method: 'resources/templates/list',
    key: 'resourceTemplates',
    id: 'uriTemplate',
    cap: 'resources',
  },
};

// One whole list of a server, every page of it; empty when the server does not offer the kind.
// A server with resources but no templates answers templates/list with -32601: no templates.
export async function listOf(
  session: UpstreamSession,
  caps: Params,
  kind: ListKind,
  timeoutMs: number,
): Promise<unknown[]> {
  const m = LIST_METHODS[kind];
  if (!caps[m.cap]) return [];
  return listAll(async (cursor) => {
    const r = await session
      .forward(m.method, cursor ? { cursor } : undefined, { timeoutMs })
      .catch((error: unknown) => {
        if (kind === 'resourceTemplates' && (error as { rpc?: { code?: number } }).rpc?.code === -32601)
          return {} as Params;
        throw error;
      });
    return { items: itemsOf(r[m.key], m.id), nextCursor: cursorOf(r) };
  });
}

// The handshake, declaring the given client capabilities (the catalog declares none) and a
// protocol version the gateway speaks.
async function handshake(
  session: UpstreamSession,
  capabilities: Params,
  timeoutMs: number,
): Promise<{ capabilities: Params; instructions?: string }> {
  const result = await session.initialize(
    {
      protocolVersion: LATEST_PROTOCOL_VERSION,
      capabilities,
      clientInfo: { name: 'mcp-dock-gateway', version: APP_VERSION },
    },
    { timeoutMs },
  );
  const version = result.protocolVersion;
  if (typeof version !== 'string' || !SUPPORTED_PROTOCOL_VERSIONS.includes(version))
    throw new UpstreamHandshakeError(`Server's protocol version is not supported: ${String(version)}`);
  const caps = result.capabilities;
  return {
    capabilities: caps && typeof caps === 'object' ? (caps as Params) : {},
    ...(typeof result.instructions === 'string' ? { instructions: result.instructions } : {}),
  };
}

// Lists are not parsed with the SDK's schemas (a per-tool output validator for every list is
// memory and CPU the gateway does not use); what the gateway reads of an item is checked.
function itemsOf(value: unknown, key: 'name' | 'uri' | 'uriTemplate'): unknown[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (item): item is Record<string, unknown> =>
      typeof item === 'object' && item !== null && typeof (item as Record<string, unknown>)[key] === 'string',
  );
}

function cursorOf(result: Record<string, unknown>): string | undefined {
  return typeof result.nextCursor === 'string' ? result.nextCursor : undefined;
}
