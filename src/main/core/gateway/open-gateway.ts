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
import type { ProfileStore } from '../profiles/profile-store';
import { profileSelection } from '../profiles/tool-selection';
import { openProfileEndpoints } from './profile-endpoints';
import { gatewayClientEntry, type GatewayClientEntry } from './gateway-client-entry';

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
  // Named selections of servers and tools, each served at /mcp/p/<name>.
  profiles: ProfileStore;
}

export interface Gateway {
  // The gateway's entry (/mcp, or a profile's endpoint) as a client config holds it.
  clientEntry(profile?: string): GatewayClientEntry;
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
  const sessionDeps = {
    pool: pool!,
    settings: () => settings.get(),
    security: deps.security.services,
    createOwnTools: deps.ownTools.create,
    ownToolList,
    local: deps.local,
    stats,
    pins,
    approvals,
    allowAlways: (clientId: string, server: string, tool: string) =>
      settings.allowAlways(clientId, server, tool),
    clientName: (clientId: string) =>
      deps.oauth.clients.list().find((c) => c.client_id === clientId)?.client_name,
  };
  // Every endpoint's tokens must name it as their audience; the challenge asks for the scopes a
  // call to any server needs.
  const policyFor = (path: string) =>
    deps.oauth.bearerPolicy({
      audience: `${deps.issuer}${path}`,
      requiredScopes: [DEFAULT_SCOPE],
      challengeScopes: [DEFAULT_SCOPE, ALL_SERVERS_SCOPE],
      metadataSuffix: path,
    });
  const routeOptions = {
    isClientActive: (id: string) => deps.oauth.clients.exists(id),
    maxBodyBytes: () => settings.get().maxBodyBytes,
    limits: () => sessionLimits(settings.get()),
  };
  const mcpRoute = createMcpRoute({
    ...routeOptions,
    policy: policyFor(MCP_PATH),
    createServer: (auth) =>
      new GatewaySession({ ...sessionDeps, onSelectionChanged: (l) => settings.onChange(l) }, auth),
  });
  const profileEndpoints = openProfileEndpoints({
    profiles: deps.profiles,
    policy: policyFor,
    route: routeOptions,
    createServer: (name, auth) => {
      // Read afresh per request: an edit reaches open sessions (a removed profile ends them).
      let last = deps.profiles.get(name);
      return new GatewaySession(
        {
          ...sessionDeps,
          selection: () => profileSelection((last = deps.profiles.find(name) ?? last)),
          onSelectionChanged: (listener) => deps.profiles.onChange(listener),
        },
        auth,
      );
    },
  });
  const sessionsEverywhere = {
    sessions: () => [...mcpRoute.sessions(), ...profileEndpoints.sessions()],
    onSessionsChanged: (listener: () => void) => {
      const stops = [mcpRoute.onSessionsChanged(listener), profileEndpoints.onSessionsChanged(listener)];
      return () => stops.forEach((stop) => stop());
    },
  };
  const url = `${deps.issuer}${MCP_PATH}`;
  const clientEntry = (profile?: string) => {
    if (profile !== undefined) deps.profiles.get(profile);
    return gatewayClientEntry(deps, profile);
  };
  const api = createGatewayApi({
    pool,
    settings,
    security: deps.security,
    pins,
    route: sessionsEverywhere,
    stats,
    oauthClients: deps.oauth.clients,
    url: () => url,
    ownToolNames: deps.ownTools.names,
    clientEntry,
    clientHome: deps.clientHome,
  });
  return {
    clientEntry,
    pool,
    api,
    approvals: {
      list: async () => approvals.list(),
      decide: async ({ id, decision, always }) =>
        approvals.decide(id, { allow: decision === 'allow', always: always === true, by: 'panel' }),
      onChanged: (listener) => approvals.onChange(listener),
    },
    routes: deps.serving
      ? [
          mcpRoute.route,
          profileEndpoints.route,
          ...(deps.controlToken ? [approvalControlRoutes(approvals, deps.controlToken)] : []),
        ]
      : [],
    followers: { 'gateway.json': followFile(settings), [PINS_FILE]: followFile(pins) },
    async close() {
      stopPinning?.();
      approvals.close();
      await mcpRoute.close();
      await profileEndpoints.close();
      await pool?.close();
      await pins.flush().catch(() => undefined);
    },
  };
}
