import type { CallPolicy, CallPolicySource } from '../../../shared/approvals';
import type { GatewaySettings } from '../../../shared/gateway';

export const SERVER_WIDE = '*';

// A tool's call policy: its own setting, else the profile's it is called through, else its server's, else what its annotations say (a tool
// that declares itself destructive and not read-only gets `destructiveToolPolicy`), else allow.
// Annotations are the server's word, so they can only make a call stricter by default, never
// looser than a setting.
export function resolveCallPolicy(
  settings: GatewaySettings,
  server: string,
  tool: string,
  annotations: unknown,
  profilePolicy?: CallPolicy,
): { policy: CallPolicy; source: CallPolicySource } {
  const set = settings.callPolicies[server];
  const own = set?.tools[tool];
  if (own) return { policy: own, source: 'tool' };
  if (profilePolicy) return { policy: profilePolicy, source: 'profile' };
  if (set?.default) return { policy: set.default, source: 'server' };
  const hints = (annotations ?? {}) as { destructiveHint?: unknown; readOnlyHint?: unknown };
  if (hints.destructiveHint === true && hints.readOnlyHint !== true)
    return { policy: settings.destructiveToolPolicy, source: 'annotations' };
  return { policy: 'allow', source: 'default' };
}

export function alwaysAllowed(
  settings: GatewaySettings,
  clientId: string,
  server: string,
  tool: string,
): boolean {
  return (settings.alwaysAllowed[clientId] ?? []).includes(`${server}/${tool}`);
}
