import { join } from 'node:path';
import { gatewaySettingsSchema, type GatewaySettings } from '../../../shared/gateway';
import type { McpSessionLimits } from '../mcp/mcp-http-route';
import type { CallPolicy } from '../../../shared/approvals';
import { OwnWrites, storeLoader } from '../store/json-file';
import { SERVER_WIDE } from './call-policy';

export interface GatewaySettingsStore {
  get(): GatewaySettings;
  setToolEnabled(server: string, tool: string, enabled: boolean): Promise<GatewaySettings>;
  // A tool's call policy ('*': the server's default); null takes it away.
  setToolPolicy(server: string, tool: string, policy: CallPolicy | null): Promise<GatewaySettings>;
  // The person always allows this tool for this client.
  allowAlways(clientId: string, server: string, tool: string): Promise<GatewaySettings>;
  reload(): Promise<void>;
  holdsOwnWrite(): Promise<boolean>;
  onChange(listener: () => void): () => void;
}

// What gateway.json sets for /mcp sessions. A request's deadline is the call timeout and one
// second more, so that an upstream call's own timeout, whose error names the server, comes first.
export function sessionLimits(settings: GatewaySettings): McpSessionLimits {
  return {
    idleMs: settings.sessionIdleTimeoutMs,
    perClient: settings.maxSessionsPerClient,
    requestDeadlineMs: settings.callTimeoutMs + 1000,
  };
}

export async function openGatewaySettings(dataDir: string): Promise<GatewaySettingsStore> {
  const file = join(dataDir, 'gateway.json');
  const own = new OwnWrites(file);
  const read = storeLoader(file, gatewaySettingsSchema, () => gatewaySettingsSchema.parse({}));
  let settings = await read();
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  const save = async (value: GatewaySettings) => {
    const next = gatewaySettingsSchema.parse(value);
    await own.save(next);
    settings = next;
    notify();
    return settings;
  };
  return {
    get: () => settings,
    async setToolEnabled(server, tool, enabled) {
      const current = new Set(settings.disabledTools[server] ?? []);
      if (enabled) current.delete(tool);
      else current.add(tool);
      const disabledTools = { ...settings.disabledTools, [server]: [...current].sort() };
      if (disabledTools[server]!.length === 0) delete disabledTools[server];
      return save({ ...settings, disabledTools });
    },
    async setToolPolicy(server, tool, policy) {
      const current = settings.callPolicies[server] ?? { tools: {} };
      const next: typeof current = { ...current, tools: { ...current.tools } };
      if (tool === SERVER_WIDE) {
        if (policy) next.default = policy;
        else delete next.default;
      } else if (policy) next.tools[tool] = policy;
      else delete next.tools[tool];
      const callPolicies = { ...settings.callPolicies, [server]: next };
      if (!next.default && Object.keys(next.tools).length === 0) delete callPolicies[server];
      return save({ ...settings, callPolicies });
    },
    async allowAlways(clientId, server, tool) {
      const entry = `${server}/${tool}`;
      const current = settings.alwaysAllowed[clientId] ?? [];
      if (current.includes(entry)) return settings;
      return save({
        ...settings,
        alwaysAllowed: { ...settings.alwaysAllowed, [clientId]: [...current, entry].sort() },
      });
    },
    async reload() {
      settings = await read();
      notify();
    },
    holdsOwnWrite: () => own.holdsOwnWrite(),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
