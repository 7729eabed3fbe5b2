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
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { GatewaySettings } from '../../../shared/gateway';
import { withBareErrorMessages } from '../mcp/mcp-errors';
import { guardCall, recordRefusal, type ScopeRequirement } from '../security/guard';
import { callerOf, refusalResult, type Caller, type SecurityServices } from '../security/secure-tool';
import { APP_VERSION } from '../version';
import type { CallStats } from './call-stats';
import { namespaced, splitNamespaced } from './tool-names';
import type { UpstreamPool } from './upstream-pool';

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
}

// The SDK parses params before a handler runs and answers a mismatch with -32603 and the raw
// schema issues. Handlers registered with these loose schemas parse for themselves and answer
// -32602 "Invalid params" with a short reason, as JSON-RPC says (and tools/call is audited).
const loose = <M extends string>(method: M) =>
  z.object({ method: z.literal(method), params: z.unknown().optional() }).passthrough();

type Issue = { path: PropertyKey[]; message: string };
function invalidParams(method: string, issues: readonly Issue[]): string {
  const reasons = issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || 'params'}: ${i.message}`);
  return `Invalid params for ${method}: ${reasons.join('; ')}`;
}

function strictly<T>(
  schema: {
    safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Issue[] } };
  },
  raw: { method: string },
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

// One gateway session: our own tools under their own names, every healthy upstream server's
// tools, prompts and resources under <server>__<name>, each call scope-checked, PII-checked and
// audited as the caller its token names.
export class GatewaySession {
  readonly server: Server;
  readonly #deps: GatewayDeps;
  readonly #auth: AuthInfo | undefined;
  // The caller, and so its scopes, fixed by the token that opened the session.
  readonly #caller: Caller;
  readonly #scopes: ReadonlySet<string>;
  #own: Promise<Client> | undefined;
  #ownTools: Tool[] = [];
  readonly #stopWatching: () => void;
  #closed = false;

  constructor(deps: GatewayDeps, auth: AuthInfo | undefined) {
    this.#deps = deps;
    this.#auth = auth;
    this.#caller = callerOf(auth ? { authInfo: auth } : {}, deps.local);
    this.#scopes = new Set(this.#caller.scopes);
    this.server = new Server(
      { name: 'mcp-dock-gateway', version: APP_VERSION },
      {
        capabilities: {
          tools: { listChanged: true },
          prompts: { listChanged: true },
          resources: { listChanged: true },
        },
        instructions:
          'MCP Dock gateway: the tools of every MCP server running in MCP Dock, named <server>__<tool>, plus MCP Dock’s own security and OAuth tools. Every call is authorized, PII-checked and audited.',
      },
    );
    this.server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: await this.#tools() }));
    // tools/call is taken here rather than through setRequestHandler: the SDK's Server checks
    // its params first and answers a mismatch before any handler runs, which would leave that
    // call out of the audit log.
    this.server.fallbackRequestHandler = async (raw, extra) => {
      if (raw.method !== 'tools/call')
        throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${raw.method}`);
      const parsed = CallToolRequestSchema.safeParse(raw);
      if (!parsed.success) {
        const name = (raw.params as { name?: unknown } | undefined)?.name;
        return this.#refuse(
          typeof name === 'string' ? name : '(invalid)',
          '',
          'invalid params',
          ErrorCode.InvalidParams,
          invalidParams('tools/call', parsed.error.issues),
        );
      }
      const request = parsed.data;
      return this.#callTool(request.params.name, request.params.arguments ?? {}, request.params._meta, extra);
    };
    this.server.setRequestHandler(ListPromptsRequestSchema, async () => ({
      prompts: this.#reachable().flatMap((u) =>
        u.prompts.map((p) => ({ ...p, name: namespaced(u.server, p.name, this.#sep()) })),
      ),
    }));
    this.server.setRequestHandler(loose('prompts/get'), async (raw, extra) => {
      const request = strictly(GetPromptRequestSchema, raw);
      const target = this.#split(request.params.name);
      if (!target) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
      const args = request.params.arguments;
      return this.#guarded('prompt_get', target.server, target.tool, args ?? {}, (secured) =>
        this.#deps.pool.getPrompt(target.server, target.tool, args && (secured as Record<string, string>), {
          signal: extra.signal,
          timeout: this.#deps.settings().callTimeoutMs,
        }),
      );
    });
    this.server.setRequestHandler(ListResourcesRequestSchema, async () => ({
      resources: this.#reachable().flatMap((u) =>
        u.resources.map((r) => ({ ...r, name: namespaced(u.server, r.name, this.#sep()) })),
      ),
    }));
    this.server.setRequestHandler(loose('resources/read'), async (raw, extra) => {
      const request = strictly(ReadResourceRequestSchema, raw);
      const owner = this.#deps.pool
        .list()
        .find((u) => u.state === 'ready' && u.resources.some((r) => r.uri === request.params.uri));
      if (!owner) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${request.params.uri}`);
      return this.#guarded('resource_read', owner.server, request.params.uri, {}, () =>
        this.#deps.pool.readResource(owner.server, request.params.uri, {
          signal: extra.signal,
          timeout: this.#deps.settings().callTimeoutMs,
        }),
      );
    });
    let last = '';
    this.#stopWatching = this.#deps.pool.onChanged(() => {
      // Only a real change of the list is announced, not every connect/disconnect step.
      const now = JSON.stringify(this.#upstreamTools().map((t) => t.name));
      if (now === last) return;
      last = now;
      void this.server.sendToolListChanged().catch(() => undefined);
    });
    last = JSON.stringify(this.#upstreamTools().map((t) => t.name));
  }

  async connect(transport: Transport): Promise<void> {
    this.#ownTools = this.#deps.ownToolList
      ? await this.#deps.ownToolList()
      : (await (await this.#ownClient()).listTools()).tools;
    await this.server.connect(withBareErrorMessages(transport));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopWatching();
    await this.#own?.then((own) => own.close()).catch(() => undefined);
    await this.server.close();
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

  #split(name: string) {
    return splitNamespaced(
      name,
      this.#sep(),
      this.#deps.pool.list().map((u) => u.server),
    );
  }

  // The ready upstream servers this caller's token reaches: only their tools, prompts and
  // resources are listed (calls to the others are refused anyway, and audited).
  #reachable() {
    const all = this.#scopes.has(ALL_SERVERS_SCOPE);
    return this.#deps.pool
      .list()
      .filter((u) => u.state === 'ready' && (all || this.#scopes.has(serverScope(u.server))));
  }

  #upstreamTools(): Tool[] {
    const disabled = this.#deps.settings().disabledTools;
    return this.#reachable().flatMap((u) =>
      u.tools
        .filter((t) => !(disabled[u.server] ?? []).includes(t.name))
        .map((t) => ({ ...t, name: namespaced(u.server, t.name, this.#sep()) })),
    );
  }

  async #tools(): Promise<Tool[]> {
    return [...this.#ownTools, ...this.#upstreamTools()];
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

  async #auditRefusal(tool: string, server: string, detail: string): Promise<void> {
    await recordRefusal(this.#deps.security, { caller: this.#caller, toolName: tool, server, detail });
  }

  async #callTool(
    name: string,
    args: Record<string, unknown>,
    meta: { progressToken?: string | number | undefined; [key: string]: unknown } | undefined,
    extra: {
      signal: AbortSignal;
      sendNotification: (n: {
        method: 'notifications/progress';
        params: Record<string, unknown>;
      }) => Promise<void>;
    },
  ): Promise<CallToolResult> {
    // The upstream gets the rest of `_meta` as sent (a trace id...); the progress token is replaced
    // by the upstream session's own, and progress is mapped back to the caller's.
    const { progressToken, ...upstreamMeta } = meta ?? {};
    if (this.#ownTools.some((t) => t.name === name)) {
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
    const upstream = this.#deps.pool.list().find((u) => u.server === target.server);
    if (!upstream?.tools.some((t) => t.name === target.tool))
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
    const outcome = await guardCall(this.#deps.security, {
      toolName: target.tool,
      server: target.server,
      scopes: upstreamScopes(target.server),
      caller: this.#caller,
      args,
      ...(Object.keys(upstreamMeta).length > 0 ? { meta: upstreamMeta } : {}),
      forward: (secured, _callId, securedMeta) =>
        this.#deps.pool.callTool(target.server, target.tool, secured, {
          signal: extra.signal,
          timeout: this.#deps.settings().callTimeoutMs,
          resetTimeoutOnProgress: true,
          ...(securedMeta ? { meta: securedMeta } : {}),
          ...(progressToken !== undefined
            ? {
                onprogress: (progress) =>
                  void extra
                    .sendNotification({
                      method: 'notifications/progress',
                      params: { progressToken, ...progress },
                    })
                    .catch(() => undefined),
              }
            : {}),
        }),
      failed: (result) => result.isError === true,
    }).catch((error: unknown) => {
      // The upstream failed (crashed, hung past the timeout, refused): that call fails alone.
      throw upstreamError(target.server, error);
    });
    // A refusal is a tool error, as at /mcp, so a model reads why.
    return outcome.ok ? outcome.value : refusalResult(outcome.refusal);
  }

  // Prompts and resources go through the same guard as tools; not being tools, a refusal is a
  // JSON-RPC error that says the same "<CODE>: <reason>".
  async #guarded<T>(
    eventType: string,
    server: string,
    name: string,
    args: Record<string, unknown>,
    // Given the arguments as the PII policy left them.
    run: (secured: Record<string, unknown>) => Promise<T>,
  ): Promise<T> {
    const outcome = await guardCall(this.#deps.security, {
      toolName: name,
      server,
      eventType,
      scopes: upstreamScopes(server),
      caller: this.#caller,
      args,
      forward: run,
    });
    if (!outcome.ok)
      throw new McpError(ErrorCode.InvalidRequest, `${outcome.refusal.code}: ${outcome.refusal.message}`);
    return outcome.value;
  }
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
