import type { PiiPolicy, SecurityConfig } from '../../../../shared/security';

// The most specific policy wins: the tool's, then its server's, then the default.
export function resolvePolicy(config: SecurityConfig, server: string | undefined, tool?: string): PiiPolicy {
  const scoped = server === undefined ? undefined : config.servers[server];
  return (tool !== undefined ? scoped?.tools[tool] : undefined) ?? scoped?.policy ?? config.default;
}
