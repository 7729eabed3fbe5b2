import type { PiiPolicy, SecurityConfig } from '../../../../shared/security';

// The most specific policy wins: the tool's, then the profile's the call came through, then its
// server's, then the default.
export function resolvePolicy(
  config: SecurityConfig,
  server: string | undefined,
  tool?: string,
  profile?: PiiPolicy,
): PiiPolicy {
  const scoped = server === undefined ? undefined : config.servers[server];
  return (
    (tool !== undefined ? scoped?.tools[tool] : undefined) ?? profile ?? scoped?.policy ?? config.default
  );
}
