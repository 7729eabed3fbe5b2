import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { DockImpl } from '../../../shared/contract';
import type { StdioLaunch } from '../../../shared/snippets';
import type { Route } from '../http/router';
import { createMcpRoute, MCP_PATH } from '../mcp/mcp-http-route';
import type { ClientAdmin } from '../oauth/client-admin';
import type { OAuth } from '../oauth/open-oauth';
import { DEFAULT_SCOPE } from '../oauth/scopes';
import type { Security } from '../security/open-security';
import type { Caller } from '../security/secure-tool';
import { followFile, type FileFollowers } from '../store/follow-file';
import { CallApprovals } from './call-approvals';
import { createCallStats } from './call-stats';
import { approvalControlRoutes } from './control-routes';
import { createGatewayApi } from './gateway-api';
import { ALL_SERVERS_SCOPE, GatewaySession, ownToolLister } from './gateway-server';
import { openGatewaySettings, sessionLimits } from './gateway-settings';
import { createUpstreamPool, type UpstreamPool } from './upstream-pool';
import type { UpstreamSource } from './upstream-source';
import { PINS_FILE, ToolPins } from '../security/pins';

export interface GatewayDeps {
  dataDir: string;
  // The /mcp URL's origin: the running server's, or (CLI) the configured one.
  issuer: string;
  // Upstream sessions into containers exist only where the gateway is served (the app, `serve`):
  // a CLI command must never open them.
  serving: boolean;
  // The servers behind it: containers and remote servers.
  upstreams: UpstreamSource;
  security: Security;
  oauth: Pick<OAuth, 'bearerPolicy'> & { clients: ClientAdmin };
  // MCP Dock's own nine tools, one server per session (an SDK server binds to one transport).
  ownTools: { create: () => McpServer; names: readonly string[] };
  local: Caller;
  // A secret of this run for the CLI's calls to /control/approvals (written to app-origin.json).
  controlToken?: string | undefined;
  // How a client launches this install's CLI (the gateway's stdio snippet).
  cliLaunch: StdioLaunch;
  clientHome?: string | undefined;
}

export interface Gateway {
  // The upstream sessions (where the gateway is served): remote servers show their state from it.
  pool: UpstreamPool | undefined;
  api: DockImpl['gateway'];
  approvals: DockImpl['approvals'];
  routes: Route[];
  followers: FileFollowers;
  close(): Promise<void>;
}

// The gateway capability: /mcp in front of every running server (a catalog session per server for
// lists, and upstream sessions of each gateway session's own), its settings, and what the Gateway
// pane and Connect show of it.
export async function openGateway(deps: GatewayDeps): Promise<Gateway> {
  const settings = await openGatewaySettings(deps.dataDir);
  const pins = await ToolPins.open(deps.dataDir, {
    audit: (event) => deps.security.audit.append(event),
    auditOthersApprovals: true,
  });
  const pool = deps.serving ? createUpstreamPool({ source: deps.upstreams }) : undefined;
  // A server's tools are pinned when the gateway first lists them, whether or not a client asks.
  const stopPinning = pool?.onChanged(() => {
    if (!settings.get().pinTools) return;
    for (const view of pool.list()) if (view.state === 'ready') pins.review(view.server, view.tools);
  });
  const approvals = new CallApprovals({
    timeoutMs: () => settings.get().approvalTimeoutMs,
    audit: (event) => deps.security.audit.append(event),
  });
  const stats = createCallStats();
  const ownToolList = ownToolLister(deps.ownTools.create);
  const mcpRoute = createMcpRoute({
    policy: deps.oauth.bearerPolicy({
      audience: `${deps.issuer}${MCP_PATH}`,
      requiredScopes: [DEFAULT_SCOPE],
      challengeScopes: [DEFAULT_SCOPE, ALL_SERVERS_SCOPE],
      metadataSuffix: MCP_PATH,
    }),
    isClientActive: (id) => deps.oauth.clients.exists(id),
    createServer: (auth) =>
      new GatewaySession(
        {
          pool: pool!,
          settings: () => settings.get(),
          security: deps.security.services,
          createOwnTools: deps.ownTools.create,
          ownToolList,
          local: deps.local,
          stats,
          pins,
          approvals,
          allowAlways: (clientId, server, tool) => settings.allowAlways(clientId, server, tool),
          clientName: (clientId) =>
            deps.oauth.clients.list().find((c) => c.client_id === clientId)?.client_name,
        },
        auth,
      ),
    maxBodyBytes: () => settings.get().maxBodyBytes,
    limits: () => sessionLimits(settings.get()),
  });
  const url = `${deps.issuer}${MCP_PATH}`;
  const api = createGatewayApi({
    pool,
    settings,
    security: deps.security,
    pins,
    route: mcpRoute,
    stats,
    oauthClients: deps.oauth.clients,
    url: () => url,
    ownToolNames: deps.ownTools.names,
    stdioLaunch: () => ({
      ...deps.cliLaunch,
      args: [...deps.cliLaunch.args, 'gateway', '--stdio', '--url', url, '--data-dir', deps.dataDir],
    }),
    clientHome: deps.clientHome,
  });
  return {
    pool,
    api,
    approvals: {
      list: async () => approvals.list(),
      decide: async ({ id, decision, always }) =>
        approvals.decide(id, { allow: decision === 'allow', always: always === true, by: 'panel' }),
      onChanged: (listener) => approvals.onChange(listener),
    },
    routes: deps.serving
      ? [mcpRoute.route, ...(deps.controlToken ? [approvalControlRoutes(approvals, deps.controlToken)] : [])]
      : [],
    followers: { 'gateway.json': followFile(settings), [PINS_FILE]: followFile(pins) },
    async close() {
      stopPinning?.();
      approvals.close();
      await mcpRoute.close();
      await pool?.close();
      await pins.flush().catch(() => undefined);
    },
  };
}
