import { join } from 'node:path';
import { gatewaySettingsSchema, type GatewaySettings } from '../../../shared/gateway';
import type { McpSessionLimits } from '../mcp/mcp-http-route';
import { OwnWrites, storeLoader } from '../store/json-file';

export interface GatewaySettingsStore {
  get(): GatewaySettings;
  setToolEnabled(server: string, tool: string, enabled: boolean): Promise<GatewaySettings>;
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
  return {
    get: () => settings,
    async setToolEnabled(server, tool, enabled) {
      const current = new Set(settings.disabledTools[server] ?? []);
      if (enabled) current.delete(tool);
      else current.add(tool);
      const disabledTools = { ...settings.disabledTools, [server]: [...current].sort() };
      if (disabledTools[server]!.length === 0) delete disabledTools[server];
      const next = gatewaySettingsSchema.parse({ ...settings, disabledTools });
      await own.save(next);
      settings = next;
      notify();
      return settings;
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
