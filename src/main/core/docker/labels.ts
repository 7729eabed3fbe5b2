import { createHash } from 'node:crypto';
import type { ServerSpec } from '../../../shared/servers';

// Labels mark what MCP Dock owns. It lists, changes and removes only containers carrying
// MANAGED (or ones the user explicitly adopted), never anything else on the engine.
export const LABEL_PREFIX = 'io.mcp-dock.';
export const MANAGED = `${LABEL_PREFIX}managed`;
export const SERVER = `${LABEL_PREFIX}server`;
export const SPEC_HASH = `${LABEL_PREFIX}spec-hash`;
export const MODE = `${LABEL_PREFIX}mode`;
// The data directory (DESIGN.md §5) that created the container: left-overs are judged per instance.
export const INSTANCE = `${LABEL_PREFIX}instance`;
// On a server's egress proxy container and its isolated network: the server they serve.
export const EGRESS_FOR = `${LABEL_PREFIX}egress-for`;
// What the proxy was made with (image and allow-list): a different one is made anew.
export const EGRESS_HASH = `${LABEL_PREFIX}egress-hash`;
// On an allow-listed server's container: the proxy address it was made with (in its /etc/hosts).
export const EGRESS_PROXY_ADDRESS = `${LABEL_PREFIX}egress-proxy-address`;

// Bumped when the container MCP Dock makes from a spec changes (2: instance label, non-root
// user, noexec /tmp, capped log, restart policy), so containers made before are recreated at the
// next Start instead of running on with the old settings.
const CONTAINER_CONFIG_VERSION = 2;

// Secrets' values are not part of the hash: a new API key is injected by recreating on start,
// which the hash of the names already covers.
export function specHash(spec: ServerSpec): string {
  return createHash('sha256')
    .update(JSON.stringify({ config: CONTAINER_CONFIG_VERSION, spec }))
    .digest('hex')
    .slice(0, 16);
}

export function labelsFor(spec: ServerSpec, instance: string): Record<string, string> {
  return {
    [MANAGED]: 'true',
    [SERVER]: spec.name,
    [SPEC_HASH]: specHash(spec),
    [MODE]: spec.mode,
    [INSTANCE]: instance,
  };
}
