import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  type CallToolResult,
  type GetPromptResult,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { ServerView } from '../../../shared/servers';
import type { ContainerManager } from '../servers';
import { mcpErrorText } from '../mcp/mcp-errors';
import { UpstreamHandshakeError, UpstreamUnavailableError } from './gateway-errors';
import { asMcpError } from './lib/as-mcp-error';
import { UpstreamSession, type ForwardOptions } from './upstream-session';
import { APP_VERSION } from '../version';

export interface UpstreamView {
  server: string;
  state: 'connecting' | 'ready' | 'down';
  reason?: string;
  tools: Tool[];
  prompts: Prompt[];
  resources: Resource[];
}

interface Upstream extends UpstreamView {
  session?: UpstreamSession;
  // What this client is bound to; a new container (a restart) means a new client.
  containerId: string | undefined;
  generation: number;
  retry?: NodeJS.Timeout;
}

export interface UpstreamPool {
  list(): UpstreamView[];
  callTool(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    // `meta`: the caller's request `_meta`, passed upstream as it is (a trace id...).
    options: RequestOptions & { meta?: Record<string, unknown> | undefined },
  ): Promise<CallToolResult>;
  getPrompt(
    server: string,
    name: string,
    args: Record<string, string> | undefined,
    options: RequestOptions,
  ): Promise<GetPromptResult>;
  readResource(server: string, uri: string, options: RequestOptions): Promise<ReadResourceResult>;
  onChanged(listener: () => void): () => void;
  close(): Promise<void>;
}

const RETRY_MS = 2000;

// Which servers the gateway serves: exec-mode servers whose container runs, and run-mode servers,
// unless their last MCP handshake failed. A container started elsewhere (the CLI, before the app
// started) has not been probed here; the gateway's own connection is its probe.
function serveable(view: ServerView): boolean {
  if (view.health.status === 'failed') return false;
  return view.spec.mode === 'run' ? view.health.status === 'ready' : view.container.state === 'running';
}

async function listAll<T>(
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

// One upstream session per server, shared by every gateway session (responses are matched to
// requests by id, so concurrent calls are safe). A session follows its container: a restart
// closes it and connects anew; a crash marks it down and retries while the server is still meant
// to be served.
export function createUpstreamPool(options: {
  containers: ContainerManager;
  connectTimeoutMs?: number;
}): UpstreamPool {
  const { containers } = options;
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

  const refreshLists = async (up: Upstream, session: UpstreamSession, caps: Record<string, unknown>) => {
    const page = async (method: string, key: string, cursor?: string) => {
      const r = await session.forward(method, cursor ? { cursor } : undefined, {
        timeoutMs: connectTimeoutMs,
      });
      return { items: itemsOf(r[key], key === 'resources' ? 'uri' : 'name'), nextCursor: cursorOf(r) };
    };
    up.tools = caps.tools ? ((await listAll((c) => page('tools/list', 'tools', c))) as Tool[]) : [];
    up.prompts = caps.prompts ? ((await listAll((c) => page('prompts/list', 'prompts', c))) as Prompt[]) : [];
    up.resources = caps.resources
      ? ((await listAll((c) => page('resources/list', 'resources', c))) as Resource[])
      : [];
  };

  const connect = async (up: Upstream) => {
    const generation = ++up.generation;
    up.state = 'connecting';
    delete up.reason;
    emit();
    let session: UpstreamSession | undefined;
    try {
      const transport = await containers.openTransport(up.server);
      let caps: Record<string, unknown> = {};
      const opened = new UpstreamSession({
        transport,
        onClose: () => {
          if (up.generation !== generation || closed) return;
          up.session = undefined;
          up.state = 'down';
          up.reason = 'the server’s process ended';
          emit();
          up.retry = setTimeout(() => void reconcile(), RETRY_MS);
        },
        onNotification: (notification) => {
          if (notification.method !== 'notifications/tools/list_changed' || up.generation !== generation)
            return;
          void refreshLists(up, opened, caps)
            .catch(() => undefined)
            .then(emit);
        },
      });
      session = opened;
      await opened.start();
      caps = await handshake(opened, connectTimeoutMs);
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
    const views = containers.list();
    const wanted = new Map(views.filter(serveable).map((v) => [v.spec.name, v]));
    for (const [name, up] of upstreams) {
      if (!wanted.has(name)) {
        drop(up);
        upstreams.delete(name);
        emit();
      }
    }
    for (const [name] of wanted) {
      const containerId = containers.containerId(name);
      let up = upstreams.get(name);
      if (up && up.containerId !== containerId) {
        drop(up);
        upstreams.delete(name);
        up = undefined;
      }
      if (!up) {
        up = {
          server: name,
          state: 'connecting',
          tools: [],
          prompts: [],
          resources: [],
          containerId,
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

  const stopWatching = containers.onChanged(() => void reconcile());
  void reconcile();

  const sessionFor = (server: string): UpstreamSession => {
    const up = upstreams.get(server);
    if (!up?.session) throw new UpstreamUnavailableError(server, up);
    return up.session;
  };
  const forward = async (
    server: string,
    method: string,
    params: Record<string, unknown>,
    o: RequestOptions,
  ) => {
    const session = sessionFor(server);
    const forwardOptions: ForwardOptions = {
      signal: o.signal,
      timeoutMs: o.timeout,
      resetTimeoutOnProgress: o.resetTimeoutOnProgress,
      onProgress: o.onprogress,
    };
    return session.forward(method, params, forwardOptions).catch((error: unknown) => {
      throw asMcpError(error);
    });
  };

  return {
    list: () =>
      [...upstreams.values()].map(({ server, state, reason, tools, prompts, resources }) => ({
        server,
        state,
        ...(reason ? { reason } : {}),
        tools,
        prompts,
        resources,
      })),
    callTool: async (server, tool, args, { meta, ...requestOptions }) =>
      (await forward(
        server,
        'tools/call',
        { name: tool, arguments: args, ...(meta ? { _meta: meta } : {}) },
        requestOptions,
      )) as CallToolResult,
    getPrompt: async (server, name, args, requestOptions) =>
      (await forward(
        server,
        'prompts/get',
        { name, ...(args ? { arguments: args } : {}) },
        requestOptions,
      )) as GetPromptResult,
    readResource: async (server, uri, requestOptions) =>
      (await forward(server, 'resources/read', { uri }, requestOptions)) as ReadResourceResult,
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

// What the SDK's Client did when it connected: the gateway's name and no client capabilities (it
// relays no server-to-client requests yet), and a protocol version it can speak.
async function handshake(session: UpstreamSession, timeoutMs: number): Promise<Record<string, unknown>> {
  const result = await session.initialize(
    {
      protocolVersion: LATEST_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: 'mcp-dock-gateway', version: APP_VERSION },
    },
    { timeoutMs },
  );
  const version = result.protocolVersion;
  if (typeof version !== 'string' || !SUPPORTED_PROTOCOL_VERSIONS.includes(version))
    throw new UpstreamHandshakeError(`Server's protocol version is not supported: ${String(version)}`);
  const caps = result.capabilities;
  return caps && typeof caps === 'object' ? (caps as Record<string, unknown>) : {};
}

// Lists are not parsed with the SDK's schemas (a per-tool output validator for every list is
// memory and CPU the gateway does not use); what the gateway reads of an item is checked.
function itemsOf(value: unknown, key: 'name' | 'uri'): unknown[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (item): item is Record<string, unknown> =>
      typeof item === 'object' && item !== null && typeof (item as Record<string, unknown>)[key] === 'string',
  );
}

function cursorOf(result: Record<string, unknown>): string | undefined {
  return typeof result.nextCursor === 'string' ? result.nextCursor : undefined;
}
