import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
  type CallToolResult,
  type RequestId,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { GatewaySettings } from '../../../shared/gateway';
import { withBareErrorMessages } from '../mcp/mcp-errors';
import { guardCall, recordRefusal, type ScopeRequirement } from '../security/guard';
import { callerOf, refusalResult, type Caller, type SecurityServices } from '../security/secure-tool';
import { APP_VERSION } from '../version';
import type { CallStats } from './call-stats';
import { UnknownTaskError } from './gateway-errors';
import { asMcpError } from './lib/as-mcp-error';
import { namespacedUri, namespaceResultUris, splitUri } from './resource-uris';
import { relayNotification, relayRequest, type RelayContext } from './server-to-client';
import { SessionUpstreams, type OwnUpstream } from './session-upstreams';
import { namespaced, splitNamespaced } from './tool-names';
import type { ToolPins } from '../security/pins';
import type { CallApprovals } from './call-approvals';
import { gateCall, type CallGateDeps } from './call-gate';
import { listAll, type ListKind, type UpstreamPool, type UpstreamView } from './upstream-pool';
import { everything, type ToolSelection } from '../profiles/tool-selection';
import { ToolIndex } from './tool-search/tool-index';
import {
  CALL_TOOL,
  callToolInputSchema,
  FIND_TOOLS,
  findToolsInputSchema,
  SEARCH_TOOL_DEFINITIONS,
} from './tool-search/search-tools';

export interface GatewayDeps {
  pool: UpstreamPool;
  settings: () => GatewaySettings;
  security: SecurityServices;
  // Our own nine tools, one server per session (an SDK server binds to one transport).
  createOwnTools: () => McpServer;
  // Their list, the same for every session (ownToolLister); without it each session lists them.
  ownToolList?: () => Promise<Tool[]>;
  local: Caller;
  stats: CallStats;
  // Approved tool definitions: a changed or new one is not served until a person approves it.
  pins: ToolPins;
  // Calls an `ask` policy holds for a person.
  approvals: CallApprovals;
  allowAlways(clientId: string, server: string, tool: string): Promise<unknown>;
  // An OAuth client's name, for the person asked about its call.
  clientName?(clientId: string): string | undefined;
  // What this endpoint serves (a profile, or everything), read afresh for every request so an
  // edit reaches open sessions; and word when it changed.
  selection?: () => ToolSelection;
  onSelectionChanged?: (listener: () => void) => () => void;
}

type Issue = { path: PropertyKey[]; message: string };
function invalidParams(method: string, issues: readonly Issue[]): string {
  const reasons = issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || 'params'}: ${i.message}`);
  return `Invalid params for ${method}: ${reasons.join('; ')}`;
}

function strictly<T>(
  schema: {
    safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Issue[] } };
  },
  raw: { method: string; params?: unknown },
): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new McpError(ErrorCode.InvalidParams, invalidParams(raw.method, parsed.error.issues));
  return parsed.data;
}

// Our own tools' server, reached through an in-memory pair; they see the caller's token, as they
// would at /mcp directly.
async function connectOwnTools(server: McpServer, auth: AuthInfo | undefined): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const send = clientSide.send.bind(clientSide);
  clientSide.send = (message, options) => send(message, { ...options, ...(auth ? { authInfo: auth } : {}) });
  await server.connect(serverSide);
  const client = new Client({ name: 'mcp-dock-gateway', version: APP_VERSION });
  await client.connect(clientSide);
  return client;
}

// Lists our own tools once for all sessions. A session then opens their server (four fifths of
// an idle session's memory: about 160 KB of 200 KB measured) only when it calls one of them.
export function ownToolLister(createOwnTools: () => McpServer): () => Promise<Tool[]> {
  let listed: Promise<Tool[]> | undefined;
  return () =>
    (listed ??= (async () => {
      const client = await connectOwnTools(createOwnTools(), undefined);
      try {
        return (await client.listTools()).tools;
      } finally {
        await client.close();
      }
    })().catch((error: unknown) => {
      listed = undefined;
      throw error;
    }));
}

export const serverScope = (server: string) => `mcp:server:${server}`;
export const ALL_SERVERS_SCOPE = 'mcp:servers';
// What every call to an upstream server needs: access, and that server (or all of them).
const upstreamScopes = (server: string): ScopeRequirement[] => [
  'mcp.access',
  [serverScope(server), ALL_SERVERS_SCOPE],
];

const GATEWAY_INSTRUCTIONS =
  'MCP Dock gateway: the tools of every MCP server running in MCP Dock, named <server>__<tool>, plus MCP Dock’s own security and OAuth tools. Every call is authorized, PII-checked and audited.';

// Lists are handed out in pages of this many items (a client that follows nextCursor gets all).
const PAGE_SIZE = 500;

// What a client declares that a server may act on: requests it can answer, and tools a server
// lists only to such clients (a roots tool for a client with roots). Such a client's lists come
// from its own sessions, not from the catalog.
const CLIENT_FEATURES = ['sampling', 'elicitation', 'roots', 'tasks'] as const;

type Params = Record<string, unknown>;
type Extra = {
  signal: AbortSignal;
  requestId: RequestId;
  sendNotification: (n: {
    method: 'notifications/progress';
    params: Record<string, unknown>;
  }) => Promise<void>;
};
type Handler = (params: Params, extra: Extra) => Promise<Params>;

// One gateway session: our own tools under their own names, every healthy upstream server's
// tools, prompts, resources and templates under <server>__<name> (resources as
// mcp-dock://<server>/<uri>), each call scope-checked, PII-checked and audited as the caller its
// token names. What reaches a server goes through sessions of this client's own, so a server
// treats it as it would treat the client alone, its requests back (sampling, elicitation, roots)
// included.
export class GatewaySession {
  readonly server: Server;
  readonly #deps: GatewayDeps;
  readonly #auth: AuthInfo | undefined;
  // The caller, and so its scopes, fixed by the token that opened the session.
  readonly #caller: Caller;
  readonly #scopes: ReadonlySet<string>;
  readonly #upstreams: SessionUpstreams;
  readonly #relay: RelayContext;
  // Tasks the client started through the gateway: which server runs each, for which tool.
  readonly #tasks = new Map<string, { server: string; tool: string }>();
  #own: Promise<Client> | undefined;
  #ownTools: Tool[] = [];
  #holdDeadline: ((id: RequestId) => () => void) | undefined;
  // find_tools' index, rebuilt when the tools it ranks change.
  #index: { key: string; index: ToolIndex<Tool> } | undefined;
  // What every tool call's gate needs of this session: the same for all its calls.
  readonly #gateDeps: CallGateDeps;
  readonly #stopWatching: () => void;
  #closed = false;

  constructor(deps: GatewayDeps, auth: AuthInfo | undefined) {
    this.#deps = deps;
    this.#auth = auth;
    this.#caller = callerOf(auth ? { authInfo: auth } : {}, deps.local);
    this.#scopes = new Set(this.#caller.scopes);
    this.#gateDeps = {
      pins: deps.pins,
      settings: deps.settings,
      approvals: deps.approvals,
      allowAlways: deps.allowAlways,
      security: deps.security,
      caller: this.#caller,
      clientName: () => deps.clientName?.(this.#caller.clientId),
      profilePolicy: () => this.#selection().callPolicy,
    };
    this.server = new Server(
      { name: 'mcp-dock-gateway', version: APP_VERSION },
      {
        capabilities: {
          tools: { listChanged: true },
          prompts: { listChanged: true },
          resources: { subscribe: true, listChanged: true },
          logging: {},
          completions: {},
          tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
        },
        instructions: this.#instructions(),
      },
    );
    this.#relay = {
      server: this.server,
      security: deps.security,
      caller: this.#caller,
      separator: () => this.#sep(),
      timeoutMs: () => deps.settings().callTimeoutMs,
    };
    this.#upstreams = new SessionUpstreams(
      deps.pool,
      () => (this.server.getClientCapabilities() ?? {}) as Params,
      {
        onRequest: (server, request, related) => relayRequest(this.#relay, server, request, related),
        onNotification: (server, notification, related) =>
          relayNotification(this.#relay, server, notification, related),
      },
      () => deps.settings().callTimeoutMs,
    );

    this.server.setRequestHandler(ListToolsRequestSchema, async (r) =>
      page(
        'tools',
        this.#selection().search ? SEARCH_TOOL_DEFINITIONS : await this.#servedTools(),
        r.params?.cursor,
      ),
    );
    this.server.setRequestHandler(ListPromptsRequestSchema, async (r) =>
      page('prompts', await this.#listed('prompts'), r.params?.cursor),
    );
    this.server.setRequestHandler(ListResourcesRequestSchema, async (r) =>
      page('resources', await this.#listed('resources'), r.params?.cursor),
    );
    this.server.setRequestHandler(ListResourceTemplatesRequestSchema, async (r) =>
      page('resourceTemplates', await this.#listed('resourceTemplates'), r.params?.cursor),
    );
    // The SDK's Server answers logging/setLevel itself when logging is declared; here the level
    // goes to the servers, per client.
    this.server.removeRequestHandler('logging/setLevel');
    this.server.setRequestHandler(SetLevelRequestSchema, async (r) => {
      await this.#upstreams.setLogLevel(r.params.level).catch((error: unknown) => {
        throw asMcpError(error);
      });
      return {};
    });

    // Everything else is taken here rather than through setRequestHandler: the SDK's Server checks
    // params first and answers a mismatch before any handler runs (which would leave a tools/call
    // out of the audit log), and the rest is the servers' to judge.
    const handlers = new Map<string, Handler>(
      Object.entries({
        'tools/call': (params, extra) => this.#callTool(params, extra),
        'prompts/get': (params, extra) => this.#getPrompt(params, extra),
        'resources/read': (params, extra) => this.#readResource(params, extra),
        'resources/subscribe': (params, extra) => this.#subscribe(params, extra, true),
        'resources/unsubscribe': (params, extra) => this.#subscribe(params, extra, false),
        'completion/complete': (params, extra) => this.#complete(params, extra),
        'tasks/get': (params, extra) => this.#task('tasks/get', params, extra),
        'tasks/result': (params, extra) => this.#task('tasks/result', params, extra),
        'tasks/cancel': (params, extra) => this.#task('tasks/cancel', params, extra),
        'tasks/list': (params, extra) => this.#listTasks(params, extra),
      } satisfies Record<string, Handler>),
    );
    this.server.fallbackRequestHandler = async (raw, extra) => {
      const handler = handlers.get(raw.method);
      if (!handler) throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${raw.method}`);
      const params = raw.params;
      if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params)))
        throw new McpError(
          ErrorCode.InvalidParams,
          `Invalid params for ${raw.method}: params must be an object`,
        );
      return (await handler((params ?? {}) as Params, extra as unknown as Extra)) as never;
    };
    // The client's roots changed: every server it uses hears it.
    this.server.fallbackNotificationHandler = async (n) => {
      if (n.method === 'notifications/roots/list_changed')
        await this.#upstreams.notifyAll(n.method, n.params as Params | undefined);
    };

    let last = this.#catalogNames();
    const announce = () => {
      // Only a real change of a list is announced, not every connect/disconnect step.
      const now = this.#catalogNames();
      const send = {
        tools: () => this.server.sendToolListChanged(),
        prompts: () => this.server.sendPromptListChanged(),
        resources: () => this.server.sendResourceListChanged(),
      };
      for (const kind of ['tools', 'prompts', 'resources'] as const)
        if (now[kind] !== last[kind]) void send[kind]().catch(() => undefined);
      last = now;
    };
    const stops = [
      this.#deps.pool.onChanged(announce),
      this.#deps.pins.onChange(announce),
      ...(this.#deps.onSelectionChanged ? [this.#deps.onSelectionChanged(announce)] : []),
    ];
    this.#stopWatching = () => stops.forEach((stop) => stop());
  }

  async connect(transport: Transport): Promise<void> {
    const held = transport as Transport & { holdDeadline?: (id: RequestId) => () => void };
    if (typeof held.holdDeadline === 'function') this.#holdDeadline = (id) => held.holdDeadline!(id);
    this.#ownTools = this.#deps.ownToolList
      ? await this.#deps.ownToolList()
      : (await (await this.#ownClient()).listTools()).tools;
    await this.server.connect(withBareErrorMessages(transport));
  }

  // Whether this session's replies must travel as SSE streams: its client answers requests the
  // servers may send during a call, or asked for log messages, which travel on the call's stream.
  streamsReplies(): boolean {
    return this.#clientAnswers() || this.#upstreams.logLevel !== undefined;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopWatching();
    await this.#upstreams.close();
    await this.#own?.then((own) => own.close()).catch(() => undefined);
    await this.server.close();
  }

  // The gateway's own words, then each server's, under its name (at the session's start: the
  // servers this caller reaches then).
  #instructions(): string {
    const parts = this.#reachable()
      .filter((u) => u.instructions?.trim())
      .map((u) => `## ${u.server}\n${u.instructions!}`);
    return [GATEWAY_INSTRUCTIONS, ...parts].join('\n\n');
  }

  #clientAnswers(): boolean {
    const caps = (this.server.getClientCapabilities() ?? {}) as Params;
    return CLIENT_FEATURES.some((f) => caps[f] !== undefined);
  }

  // The session's own-tools server, opened on first use.
  #ownClient(): Promise<Client> {
    if (this.#closed)
      return Promise.reject(new McpError(ErrorCode.ConnectionClosed, 'the session was closed'));
    return (this.#own ??= connectOwnTools(this.#deps.createOwnTools(), this.#auth).catch((error: unknown) => {
      this.#own = undefined;
      throw error;
    }));
  }

  #sep() {
    return this.#deps.settings().separator;
  }

  #selection(): ToolSelection {
    return this.#deps.selection?.() ?? everything(this.#deps.settings().toolSearch);
  }

  // Every tool this endpoint serves, as clients call them (what find_tools searches in search
  // mode, the list otherwise).
  async #servedTools(): Promise<Tool[]> {
    return [...(this.#selection().ownTools ? this.#ownTools : []), ...(await this.#upstreamTools())];
  }

  // Why a name this endpoint does not serve is refused, for the audit log.
  #outside(): string {
    const profile = this.#selection().profile;
    return profile === undefined ? 'unknown tool' : `not in profile ${profile}`;
  }

  #split(name: string) {
    return splitNamespaced(
      name,
      this.#sep(),
      this.#deps.pool.list().map((u) => u.server),
    );
  }

  // The ready upstream servers this caller's token reaches: only their tools, prompts and
  // resources are listed (calls to the others are refused anyway, and audited).
  #reachable(): UpstreamView[] {
    const selection = this.#selection();
    return this.#deps.pool
      .list()
      .filter((u) => u.state === 'ready' && this.#reaches(u.server) && selection.reaches(u.server));
  }

  #reaches(server: string): boolean {
    return this.#scopes.has(ALL_SERVERS_SCOPE) || this.#scopes.has(serverScope(server));
  }

  #catalogNames() {
    const names = (kind: ListKind, key: string) =>
      JSON.stringify(
        this.#reachable().flatMap((u) =>
          (u[kind] as unknown as Params[]).map((i) => `${u.server}/${String(i[key])}`),
        ),
      );
    // A tool approved or withheld changes the list as much as one added or removed.
    const selection = this.#selection();
    const tools = JSON.stringify(
      this.#reachable().flatMap((u) =>
        this.#pinned(u.server, u.tools)
          .filter((t) => selection.hasTool(u.server, t.name))
          .map((t) => `${u.server}/${t.name}`),
      ),
    );
    return {
      tools: `${selection.key}\n${tools}`,
      prompts: selection.key + names('prompts', 'name'),
      resources: selection.key + names('resources', 'uri') + names('resourceTemplates', 'uriTemplate'),
    };
  }

  // A server's list as this client sees it: from its own session once it has one (or at once, for
  // a client whose declared capabilities a server may list more tools for), else the catalog's.
  async #serverList(u: UpstreamView, kind: ListKind): Promise<Params[]> {
    let own = this.#upstreams.opened(u.server);
    if (!own && kind === 'tools' && this.#clientAnswers())
      own = await this.#upstreams.get(u.server).catch(() => undefined);
    if (!own) return u[kind] as unknown as Params[];
    return (await own.list(kind).catch(() => u[kind])) as Params[];
  }

  async #listed(kind: Exclude<ListKind, 'tools'>): Promise<Params[]> {
    const sep = this.#sep();
    const selection = this.#selection();
    const lists = await Promise.all(
      this.#reachable()
        .filter((u) => selection.wholeServer(u.server))
        .map(async (u) => {
          const items = await this.#serverList(u, kind);
          return items.map((item) => {
            const out: Params = { ...item, name: namespaced(u.server, String(item.name), sep) };
            if (typeof item.uri === 'string') out.uri = namespacedUri(u.server, item.uri);
            if (typeof item.uriTemplate === 'string')
              out.uriTemplate = namespacedUri(u.server, item.uriTemplate);
            return out;
          });
        }),
    );
    return lists.flat();
  }

  async #upstreamTools(): Promise<Tool[]> {
    const disabled = this.#deps.settings().disabledTools;
    const sep = this.#sep();
    const selection = this.#selection();
    const lists = await Promise.all(
      this.#reachable().map(async (u) =>
        this.#pinned(u.server, (await this.#serverList(u, 'tools')) as unknown as Tool[])
          .filter((t) => !(disabled[u.server] ?? []).includes(t.name) && selection.hasTool(u.server, t.name))
          .map((t) => ({ ...t, name: namespaced(u.server, t.name, sep) })),
      ),
    );
    return lists.flat();
  }

  // The tools of a server's list a person has approved (all of them while pinning is off).
  #pinned<T extends Tool>(server: string, tools: readonly T[]): T[] {
    return this.#deps.settings().pinTools ? this.#deps.pins.review(server, tools) : [...tools];
  }

  async #refuse(
    tool: string,
    server: string,
    detail: string,
    code: ErrorCode,
    message: string,
  ): Promise<never> {
    await this.#auditRefusal(tool, server, detail);
    throw new McpError(code, message);
  }

  async #auditRefusal(
    tool: string,
    server: string,
    detail: string,
    outcome: 'error' | 'denied' = 'error',
  ): Promise<void> {
    await recordRefusal(this.#deps.security, {
      caller: this.#caller,
      toolName: tool,
      server,
      detail,
      outcome,
    });
  }

  // This client's session with a server, opened now if it has none; a server that cannot be
  // reached fails the request, named.
  async #upstream(server: string): Promise<OwnUpstream> {
    return this.#upstreams.get(server).catch((error: unknown) => {
      throw upstreamError(server, asMcpError(error));
    });
  }

  // A server's tool as this client sees it: in its own session's list once it has one, in the
  // catalog's otherwise (a tool only such a client is shown is looked for in a session of its own).
  async #findTool(server: string, tool: string): Promise<Tool | undefined> {
    const find = (items: unknown[]) => (items as Tool[]).find((t) => t.name === tool);
    const own = this.#upstreams.opened(server);
    if (own) return find(await own.list('tools'));
    const view = this.#deps.pool.list().find((u) => u.server === server);
    const listed = view && find(view.tools);
    if (listed) return listed;
    // Only for a caller the server's scope lets in: a token without it never makes the gateway
    // start a process (its call is refused by the guard, and audited).
    if (!view || view.state !== 'ready' || !this.#clientAnswers() || !this.#reaches(server)) return undefined;
    return find(await (await this.#upstream(server)).list('tools'));
  }

  async #callTool(params: Params, extra: Extra): Promise<Params> {
    const parsed = CallToolRequestSchema.safeParse({ method: 'tools/call', params });
    if (!parsed.success) {
      const name = params.name;
      return this.#refuse(
        typeof name === 'string' ? name : '(invalid)',
        '',
        'invalid params',
        ErrorCode.InvalidParams,
        invalidParams('tools/call', parsed.error.issues),
      );
    }
    const { name, arguments: rawArgs, _meta: meta } = parsed.data.params;
    const args = rawArgs ?? {};
    // The upstream gets the rest of `_meta` as sent (a trace id...); the progress token is replaced
    // by the upstream session's own, and progress is mapped back to the caller's.
    const { progressToken, ...upstreamMeta } = meta ?? {};
    const selection = this.#selection();
    if (selection.search && name === FIND_TOOLS) return this.#findTools(args);
    if (selection.search && name === CALL_TOOL) return this.#callThrough(params, args, extra);
    if (this.#ownTools.some((t) => t.name === name)) {
      if (!selection.ownTools)
        return this.#refuse(
          name,
          'mcp-dock',
          this.#outside(),
          ErrorCode.InvalidParams,
          `Unknown tool: ${name}`,
        );
      const own = await this.#ownClient();
      const result = (await own.callTool({ name, arguments: args }, CallToolResultSchema, {
        signal: extra.signal,
      })) as CallToolResult;
      // Arguments that fail the tool's schema never reach its secureTool wrapper: audit them here.
      const first = result.content[0];
      if (result.isError && first?.type === 'text' && first.text.includes('Input validation error'))
        await this.#auditRefusal(name, 'mcp-dock', 'invalid arguments');
      return result;
    }
    const target = this.#split(name);
    if (!target)
      return this.#refuse(name, '', 'unknown tool', ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    // A tool outside the profile is not there for this client: refused as unknown, and audited.
    if (!selection.hasTool(target.server, target.tool))
      return this.#refuse(
        target.tool,
        target.server,
        this.#outside(),
        ErrorCode.InvalidParams,
        `Unknown tool: ${name}`,
      );
    // A server that cannot list its tools now (stalled, gone) is named as failing, not as
    // lacking the tool.
    let definition: Tool | undefined;
    try {
      definition = await this.#findTool(target.server, target.tool);
    } catch (error) {
      await this.#auditRefusal(target.tool, target.server, 'upstream failed');
      throw upstreamError(target.server, asMcpError(error));
    }
    if (!definition)
      return this.#refuse(
        target.tool,
        target.server,
        'unknown tool',
        ErrorCode.InvalidParams,
        `Unknown tool: ${name}`,
      );
    if ((this.#deps.settings().disabledTools[target.server] ?? []).includes(target.tool))
      return this.#refuse(
        target.tool,
        target.server,
        'tool disabled',
        ErrorCode.InvalidParams,
        `The tool ${name} is disabled in MCP Dock`,
      );
    this.#deps.stats.record(target.server);
    // A call the client asked to run as a task (2025-11-25 tasks) says so upstream too.
    const task = (params as { task?: unknown }).task;
    const outcome = await guardCall(this.#deps.security, {
      toolName: target.tool,
      server: target.server,
      scopes: upstreamScopes(target.server),
      caller: this.#caller,
      args,
      profilePiiPolicy: selection.piiPolicy,
      gate: () =>
        gateCall(this.#gateDeps, {
          server: target.server,
          tool: target.tool,
          shownAs: name,
          definition,
          args,
          requestId: extra.requestId,
          signal: extra.signal,
          holdDeadline: this.#holdDeadline,
          askClient: this.#askInClient(name, extra.requestId),
        }),
      ...(Object.keys(upstreamMeta).length > 0 ? { meta: upstreamMeta } : {}),
      forward: async (secured, _callId, securedMeta) => {
        const up = await this.#upstream(target.server);
        return up.forward(
          'tools/call',
          {
            name: target.tool,
            arguments: secured,
            ...(task !== undefined ? { task } : {}),
            ...(securedMeta ? { _meta: securedMeta } : {}),
          },
          extra.requestId,
          {
            signal: extra.signal,
            timeoutMs: this.#deps.settings().callTimeoutMs,
            resetTimeoutOnProgress: true,
            ...(progressToken !== undefined
              ? {
                  onProgress: (progress) =>
                    void extra
                      .sendNotification({
                        method: 'notifications/progress',
                        params: { progressToken, ...progress },
                      })
                      .catch(() => undefined),
                }
              : {}),
          },
        );
      },
      failed: (result) => result.isError === true,
    }).catch((error: unknown) => {
      // The upstream failed (crashed, hung past the timeout, refused): that call fails alone.
      throw upstreamError(target.server, asMcpError(error));
    });
    // A refusal is a tool error, as at /mcp, so a model reads why.
    if (!outcome.ok) return refusalResult(outcome.refusal);
    const started = (outcome.value.task as { taskId?: unknown } | undefined)?.taskId;
    if (typeof started === 'string') this.#tasks.set(started, { server: target.server, tool: target.tool });
    return namespaceResultUris(outcome.value, target.server);
  }

  // Search mode's find_tools: the served tools ranked against the query, each as the client
  // would call it.
  async #findTools(args: Params): Promise<Params> {
    const input = findToolsInputSchema.safeParse(args);
    if (!input.success)
      return toolError(`find_tools: ${input.error.issues.map((i) => i.message).join('; ')}`);
    const tools = await this.#servedTools();
    const key = JSON.stringify(tools.map((t) => [t.name, t.description, t.title]));
    if (this.#index?.key !== key) this.#index = { key, index: new ToolIndex(tools) };
    const found = this.#index.index.search(input.data.query, input.data.limit).map(({ tool }) => ({
      name: tool.name,
      ...(tool.title ? { title: tool.title } : {}),
      ...(tool.description ? { description: tool.description } : {}),
      inputSchema: tool.inputSchema,
    }));
    // One copy, as text: a client hands content to the model, and a second copy as
    // structuredContent would double what every search costs in context.
    const text =
      found.length === 0 ? `No tool matches "${input.data.query}". Try other words.` : JSON.stringify(found);
    return { content: [{ type: 'text', text }] };
  }

  // Search mode's call_tool: the named tool's call, with every check a direct call gets (and
  // audited as that tool). What would be a protocol error there is a tool error here, so the model
  // reads why.
  async #callThrough(params: Params, args: Params, extra: Extra): Promise<Params> {
    const input = callToolInputSchema.safeParse(args);
    if (!input.success)
      return toolError(
        `call_tool: ${input.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')}`,
      );
    if (input.data.name === FIND_TOOLS || input.data.name === CALL_TOOL)
      return toolError(`call_tool: call ${input.data.name} directly`);
    const { _meta: meta, task } = params as { _meta?: unknown; task?: unknown };
    try {
      return await this.#callTool(
        {
          name: input.data.name,
          arguments: input.data.arguments ?? {},
          ...(meta !== undefined ? { _meta: meta } : {}),
          ...(task !== undefined ? { task } : {}),
        },
        extra,
      );
    } catch (error) {
      if (error instanceof McpError && error.code === ErrorCode.InvalidParams)
        return toolError(
          `${error.message.replace(/^MCP error -?\d+: /, '')}. Use find_tools to see the tools there are.`,
        );
      throw error;
    }
  }

  // The question a held call puts to its own client, where the user enabled that and the client
  // declared (form) elicitation: accept allows once, anything else leaves it denied.
  #askInClient(name: string, requestId: RequestId): ((signal: AbortSignal) => Promise<boolean>) | undefined {
    const elicitation = (this.server.getClientCapabilities() ?? {}).elicitation as Params | undefined;
    if (!this.#deps.settings().askInClient || !elicitation) return undefined;
    if (Object.keys(elicitation).length > 0 && !elicitation.form) return undefined;
    return async (signal) => {
      const answer = await this.server.elicitInput(
        {
          message: `MCP Dock holds a call to ${name} until a person allows it. Allow it to run once?`,
          requestedSchema: { type: 'object', properties: {} },
        },
        { relatedRequestId: requestId, signal, timeout: this.#deps.settings().approvalTimeoutMs },
      );
      return answer.action === 'accept';
    };
  }

  async #getPrompt(params: Params, extra: Extra): Promise<Params> {
    const request = strictly(GetPromptRequestSchema, { method: 'prompts/get', params });
    const target = this.#split(request.params.name);
    if (!target || !this.#selection().wholeServer(target.server))
      throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
    const args = request.params.arguments;
    const meta = request.params._meta;
    const result = await this.#guarded('prompt_get', target.server, target.tool, args ?? {}, (secured, up) =>
      up.forward(
        'prompts/get',
        {
          name: target.tool,
          ...(args ? { arguments: secured } : {}),
          ...(meta ? { _meta: meta } : {}),
        },
        extra.requestId,
        this.#forwardOptions(extra),
      ),
    );
    return namespaceResultUris(result, target.server);
  }

  // A gateway URI routes to its server; a plain URI is looked up in the servers' lists, for
  // clients that kept one from before URIs were named per server.
  #route(uri: string): { server: string; uri: string } {
    const selection = this.#selection();
    const named = splitUri(uri);
    if (named && this.#deps.pool.list().some((u) => u.server === named.server)) {
      if (selection.wholeServer(named.server)) return named;
      throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${uri}`);
    }
    const owners = this.#deps.pool
      .list()
      .filter(
        (u) =>
          u.state === 'ready' && selection.wholeServer(u.server) && u.resources.some((r) => r.uri === uri),
      );
    if (owners.length === 1) return { server: owners[0]!.server, uri };
    throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${uri}`);
  }

  async #readResource(params: Params, extra: Extra): Promise<Params> {
    const request = strictly(ReadResourceRequestSchema, { method: 'resources/read', params });
    const target = this.#route(request.params.uri);
    const result = await this.#guarded('resource_read', target.server, target.uri, {}, (_secured, up) =>
      up.forward(
        'resources/read',
        { ...params, uri: target.uri },
        extra.requestId,
        this.#forwardOptions(extra),
      ),
    );
    return namespaceResultUris(result, target.server);
  }

  async #subscribe(params: Params, extra: Extra, on: boolean): Promise<Params> {
    if (typeof params.uri !== 'string')
      throw new McpError(ErrorCode.InvalidParams, 'Invalid params: uri must be a string');
    const target = this.#route(params.uri);
    const method = on ? 'resources/subscribe' : 'resources/unsubscribe';
    const result = await this.#guarded(
      on ? 'resource_subscribe' : 'resource_unsubscribe',
      target.server,
      target.uri,
      {},
      (_s, up) =>
        up.forward(method, { ...params, uri: target.uri }, extra.requestId, this.#forwardOptions(extra)),
    );
    this.#upstreams.subscribed(target.server, target.uri, on);
    return result;
  }

  async #complete(params: Params, extra: Extra): Promise<Params> {
    const ref = params.ref as { type?: unknown; name?: unknown; uri?: unknown } | undefined;
    let server: string;
    let upstreamRef: Params;
    if (ref?.type === 'ref/prompt' && typeof ref.name === 'string') {
      const target = this.#split(ref.name);
      if (!target) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${ref.name}`);
      server = target.server;
      upstreamRef = { ...ref, name: target.tool };
    } else if (ref?.type === 'ref/resource' && typeof ref.uri === 'string') {
      const named = splitUri(ref.uri);
      if (!named) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${ref.uri}`);
      server = named.server;
      upstreamRef = { ...ref, uri: named.uri };
    } else throw new McpError(ErrorCode.InvalidParams, 'Invalid params for completion/complete: ref');
    if (!this.#selection().wholeServer(server))
      throw new McpError(
        ErrorCode.InvalidParams,
        `Unknown ${ref.type === 'ref/prompt' ? 'prompt' : 'resource'}`,
      );
    const name = String(upstreamRef.name ?? upstreamRef.uri);
    // Completions run on every keystroke: refusals and failures are audited, answers are not.
    return this.#guarded(
      'completion',
      server,
      name,
      (params.argument ?? {}) as Params,
      (secured, up) =>
        up.forward(
          'completion/complete',
          { ...params, ref: upstreamRef, argument: secured },
          extra.requestId,
          this.#forwardOptions(extra),
        ),
      false,
    );
  }

  async #task(method: string, params: Params, extra: Extra): Promise<Params> {
    const task = typeof params.taskId === 'string' ? this.#tasks.get(params.taskId) : undefined;
    if (!task) throw new McpError(ErrorCode.InvalidParams, new UnknownTaskError(params.taskId).message);
    const up = this.#upstreams.opened(task.server);
    if (!up)
      throw new McpError(ErrorCode.InvalidParams, `${task.server}: the session that ran the task has ended`);
    // A task's result is a tool's result: through the server's policy, audited, as the call's would be.
    if (method === 'tasks/result') {
      const result = await this.#guarded('task_result', task.server, task.tool, {}, () =>
        up.forward(method, params, extra.requestId, this.#forwardOptions(extra)),
      );
      return namespaceResultUris(result, task.server);
    }
    return up
      .forward(method, params, extra.requestId, this.#forwardOptions(extra))
      .catch((error: unknown) => {
        throw upstreamError(task.server, asMcpError(error));
      });
  }

  // Every page of each server's task list is read, and the merged list handed out in the gateway's
  // own pages, as the other lists are.
  async #listTasks(params: Params, extra: Extra): Promise<Params> {
    const servers = new Set([...this.#tasks.values()].map((t) => t.server));
    const lists = await Promise.all(
      [...servers].map(async (server) => {
        const up = this.#upstreams.opened(server);
        if (!(up?.capabilities.tasks as Params | undefined)?.list) return [];
        return listAll(async (cursor) => {
          const result = await up!.forward(
            'tasks/list',
            cursor ? { cursor } : {},
            extra.requestId,
            this.#forwardOptions(extra),
          );
          return {
            items: Array.isArray(result.tasks) ? (result.tasks as Params[]) : [],
            nextCursor: typeof result.nextCursor === 'string' ? result.nextCursor : undefined,
          };
        });
      }),
    );
    const cursor = typeof params.cursor === 'string' ? params.cursor : undefined;
    if (params.cursor !== undefined && cursor === undefined)
      throw new McpError(ErrorCode.InvalidParams, `Invalid cursor: ${String(params.cursor)}`);
    return page(
      'tasks',
      lists.flat().filter((t) => this.#tasks.has(String(t.taskId))),
      cursor,
    );
  }

  #forwardOptions(extra: Extra) {
    return { signal: extra.signal, timeoutMs: this.#deps.settings().callTimeoutMs };
  }

  // Prompts, resources, completions and task results go through the same guard as tools; not
  // being tools, a refusal is a JSON-RPC error that says the same "<CODE>: <reason>".
  async #guarded(
    eventType: string,
    server: string,
    name: string,
    args: Params,
    // Given the arguments as the PII policy left them, and this client's session with the server.
    run: (secured: Params, up: OwnUpstream) => Promise<Params>,
    logAccess = true,
  ): Promise<Params> {
    const outcome = await guardCall(this.#deps.security, {
      toolName: name,
      server,
      eventType,
      profilePiiPolicy: this.#selection().piiPolicy,
      logAccess,
      scopes: upstreamScopes(server),
      caller: this.#caller,
      args,
      forward: async (secured) => run(secured, await this.#upstream(server)),
    }).catch((error: unknown) => {
      throw upstreamError(server, asMcpError(error));
    });
    if (!outcome.ok)
      throw new McpError(ErrorCode.InvalidRequest, `${outcome.refusal.code}: ${outcome.refusal.message}`);
    return outcome.value;
  }
}

const toolError = (text: string): Params => ({ content: [{ type: 'text', text }], isError: true });

// One page of an aggregated list; the cursor is the offset of the next page, as the gateway
// wrote it.
function page(key: string, items: readonly unknown[], cursor: string | undefined): Params {
  let start = 0;
  if (cursor !== undefined) {
    start = Number(Buffer.from(cursor, 'base64url').toString());
    if (!Number.isSafeInteger(start) || start <= 0 || start >= items.length)
      throw new McpError(ErrorCode.InvalidParams, `Invalid cursor: ${cursor}`);
  }
  const end = start + PAGE_SIZE;
  return {
    [key]: items.slice(start, end),
    ...(end < items.length ? { nextCursor: Buffer.from(String(end)).toString('base64url') } : {}),
  };
}

// Errors the upstream server answered (bad arguments...) pass through as they are; a dead or
// silent upstream is named, so the caller knows which server failed.
export function upstreamError(server: string, error: unknown): McpError {
  if (error instanceof McpError) {
    if (error.code === ErrorCode.ConnectionClosed)
      return new McpError(ErrorCode.InternalError, `${server}: the server’s process ended during the call`);
    if (error.code === ErrorCode.RequestTimeout)
      return new McpError(ErrorCode.RequestTimeout, `${server}: no answer within the call timeout`);
    return error;
  }
  return new McpError(ErrorCode.InternalError, `${server}: ${(error as Error).message}`);
}
