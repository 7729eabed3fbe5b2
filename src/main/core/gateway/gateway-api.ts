import type { DockImpl } from '../../../shared/contract';
import type { GatewayStatus } from '../../../shared/gateway';
import type { StdioLaunch } from '../../../shared/snippets';
import { buildGatewaySnippet } from '../clients/gateway-snippet';
import type { McpRoute } from '../mcp/mcp-http-route';
import type { ClientAdmin } from '../oauth/client-admin';
import { resolvePolicy } from '../security/policy/resolve-policy';
import type { Security } from '../security/open-security';
import type { CallStats } from './call-stats';
import { resolveCallPolicy } from './call-policy';
import type { GatewaySettingsStore } from './gateway-settings';
import { namespaced } from './tool-names';
import type { UpstreamPool } from './upstream-pool';
import type { ToolPins } from '../security/pins';

export interface GatewayApiDeps {
  pool: UpstreamPool | undefined;
  settings: GatewaySettingsStore;
  security: Security;
  pins: ToolPins;
  // The sessions open at /mcp and at the profiles' endpoints.
  route: {
    sessions(): (ReturnType<McpRoute['sessions']>[number] & { profile?: string })[];
    onSessionsChanged: McpRoute['onSessionsChanged'];
  };
  stats: CallStats;
  oauthClients: ClientAdmin;
  // The /mcp URL clients use.
  url: () => string;
  ownToolNames: readonly string[];
  // The entry a client config holds for /mcp or a profile's endpoint: its URL and how a client
  // launches `mcp-dock gateway --stdio` for it on this machine.
  clientEntry: (profile?: string) => { url: string; launch: StdioLaunch };
  clientHome?: string | undefined;
}

const policyOf = (resolved: ReturnType<typeof resolveCallPolicy>) => ({
  callPolicy: resolved.policy,
  callPolicySource: resolved.source,
});

export function createGatewayApi(deps: GatewayApiDeps): DockImpl['gateway'] {
  const status = (): GatewayStatus => {
    const settings = deps.settings.get();
    const names = new Map(deps.oauthClients.list().map((c) => [c.client_id, c.client_name]));
    return {
      url: deps.url(),
      sessions: deps.route.sessions().map((s) => {
        const name = names.get(s.clientId);
        return {
          id: s.id,
          clientId: s.clientId,
          ...(s.profile ? { profile: s.profile } : {}),
          ...(name ? { clientName: name } : {}),
          lastSeen: new Date(s.lastSeen).toISOString(),
        };
      }),
      servers: (deps.pool?.list() ?? []).map((u) => ({
        server: u.server,
        state: u.state,
        ...(u.reason ? { reason: u.reason } : {}),
        tools: u.tools.map((t) => ({
          name: namespaced(u.server, t.name, settings.separator),
          upstreamName: t.name,
          ...(t.description ? { description: t.description } : {}),
          enabled: !(settings.disabledTools[u.server] ?? []).includes(t.name),
          pin: settings.pinTools ? deps.pins.status(u.server, t) : ('approved' as const),
          ...policyOf(resolveCallPolicy(settings, u.server, t.name, t.annotations)),
        })),
        prompts: u.prompts.length,
        resources: u.resources.length,
        callsPerMinute: deps.stats.perMinute(u.server),
        clientSessions: u.clientSessions,
        policy: resolvePolicy(deps.security.settings.config(), u.server).action,
      })),
      ownTools: [...deps.ownToolNames],
      callsPerMinute: deps.stats.perMinute(),
      pinTools: settings.pinTools,
    };
  };
  return {
    status: async () => status(),
    async setToolEnabled({ server, tool, enabled }) {
      await deps.settings.setToolEnabled(server, tool, enabled);
      return status();
    },
    async setToolPolicy({ server, tool, policy }) {
      await deps.settings.setToolPolicy(server, tool, policy);
      return status();
    },
    pins: async () => deps.pins.list(),
    approveTools: ({ server, tools }) => deps.pins.approve(server, tools, 'panel'),
    keepWithheld: ({ server, tool }) => deps.pins.keepWithheld(server, tool),
    snippet: async ({ client, form, profile }) => {
      const { url, launch } = deps.clientEntry(profile);
      return buildGatewaySnippet(
        client,
        form,
        url,
        launch,
        { ...(deps.clientHome ? { home: deps.clientHome } : {}) },
        profile,
      );
    },
    onChanged(listener) {
      const fire = () => listener({ at: new Date().toISOString() });
      const stops = [
        deps.pool?.onChanged(fire),
        deps.settings.onChange(fire),
        deps.route.onSessionsChanged(fire),
        deps.security.settings.onChange(fire),
        deps.pins.onChange(fire),
      ];
      return () => stops.forEach((stop) => stop?.());
    },
  };
}
