import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolResultSchema,
  ToolListChangedNotificationSchema,
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
import { UpstreamUnavailableError } from './gateway-errors';
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
  client?: Client;
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
    options: RequestOptions,
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

// One MCP client per upstream server, shared by every gateway session (the SDK client matches
// responses to requests by id, so concurrent calls are safe). A client follows its container: a
// restart closes it and connects anew; a crash marks it down and retries while the server is
// still meant to be served.
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
    const client = up.client;
    up.client = undefined;
    void client?.close().catch(() => undefined);
  };

  const refreshLists = async (up: Upstream, client: Client) => {
    const caps = client.getServerCapabilities() ?? {};
    up.tools = caps.tools
      ? await listAll(async (cursor) => {
          const r = await client.listTools(cursor ? { cursor } : undefined, { timeout: connectTimeoutMs });
          return { items: r.tools, nextCursor: r.nextCursor };
        })
      : [];
    up.prompts = caps.prompts
      ? await listAll(async (cursor) => {
          const r = await client.listPrompts(cursor ? { cursor } : undefined, { timeout: connectTimeoutMs });
          return { items: r.prompts, nextCursor: r.nextCursor };
        })
      : [];
    up.resources = caps.resources
      ? await listAll(async (cursor) => {
          const r = await client.listResources(cursor ? { cursor } : undefined, {
            timeout: connectTimeoutMs,
          });
          return { items: r.resources, nextCursor: r.nextCursor };
        })
      : [];
  };

  const connect = async (up: Upstream) => {
    const generation = ++up.generation;
    up.state = 'connecting';
    delete up.reason;
    emit();
    const client = new Client({ name: 'mcp-dock-gateway', version: APP_VERSION });
    try {
      const transport = await containers.openTransport(up.server);
      transport.onclose = () => {
        if (up.generation !== generation || closed) return;
        up.client = undefined;
        up.state = 'down';
        up.reason = 'the server’s process ended';
        emit();
        up.retry = setTimeout(() => void reconcile(), RETRY_MS);
      };
      await client.connect(transport, { timeout: connectTimeoutMs });
      client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
        if (up.generation !== generation) return;
        await refreshLists(up, client).catch(() => undefined);
        emit();
      });
      await refreshLists(up, client);
      if (up.generation !== generation) {
        await client.close().catch(() => undefined);
        return;
      }
      up.client = client;
      up.state = 'ready';
    } catch (error) {
      await client.close().catch(() => undefined);
      if (up.generation !== generation) return;
      up.state = 'down';
      up.reason = mcpErrorText(error);
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
      } else if (up.state === 'down' && !up.client) {
        if (up.retry) clearTimeout(up.retry);
        up.retry = undefined;
        void connect(up);
      }
    }
  };

  const stopWatching = containers.onChanged(() => void reconcile());
  void reconcile();

  const clientFor = (server: string): Client => {
    const up = upstreams.get(server);
    if (!up?.client) throw new UpstreamUnavailableError(server, up);
    return up.client;
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
    callTool: async (server, tool, args, requestOptions) =>
      (await clientFor(server).callTool(
        { name: tool, arguments: args },
        CallToolResultSchema,
        requestOptions,
      )) as CallToolResult,
    getPrompt: (server, name, args, requestOptions) =>
      clientFor(server).getPrompt({ name, ...(args ? { arguments: args } : {}) }, requestOptions),
    readResource: (server, uri, requestOptions) => clientFor(server).readResource({ uri }, requestOptions),
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
