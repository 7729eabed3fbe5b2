import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { PROFILE_PATH_PREFIX, profileNameSchema, profilePath } from '../../../shared/profiles';
import { sendJson } from '../http/respond';
import type { Route } from '../http/router';
import { createMcpRoute, type McpRoute, type McpRouteOptions } from '../mcp/mcp-http-route';
import type { BearerPolicy } from '../oauth/bearer';
import type { ProfileStore } from '../profiles/profile-store';

export interface ProfileEndpointsDeps {
  profiles: ProfileStore;
  // The bearer policy of one profile's endpoint: tokens must be issued for exactly it.
  policy: (path: string) => () => BearerPolicy | undefined;
  // A gateway session serving one profile.
  createServer: (profile: string, auth: AuthInfo) => ReturnType<McpRouteOptions['createServer']>;
  route: Omit<McpRouteOptions, 'path' | 'policy' | 'createServer'>;
}

export interface ProfileEndpoints {
  route: Route;
  sessions(): (ReturnType<McpRoute['sessions']>[number] & { profile: string })[];
  onSessionsChanged(listener: () => void): () => void;
  close(): Promise<void>;
}

// /mcp/p/<profile>: each profile is an MCP endpoint of its own (its own sessions, its own
// protected-resource metadata and token audience). Endpoints open on first use; a profile removed
// or renamed ends its endpoint's sessions.
export function openProfileEndpoints(deps: ProfileEndpointsDeps): ProfileEndpoints {
  const endpoints = new Map<string, McpRoute>();
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());

  const endpoint = (name: string): McpRoute => {
    let found = endpoints.get(name);
    if (!found) {
      const path = profilePath(name);
      found = createMcpRoute({
        ...deps.route,
        path,
        policy: deps.policy(path),
        createServer: (auth) => deps.createServer(name, auth),
      });
      found.onSessionsChanged(changed);
      endpoints.set(name, found);
    }
    return found;
  };

  const stop = deps.profiles.onChange(() => {
    for (const [name, route] of endpoints)
      if (!deps.profiles.find(name)) {
        endpoints.delete(name);
        void route.close().then(changed);
      }
  });

  const route: Route = async (req, res, url) => {
    if (!url.pathname.startsWith(PROFILE_PATH_PREFIX)) return false;
    const name = url.pathname.slice(PROFILE_PATH_PREFIX.length);
    if (!profileNameSchema.safeParse(name).success || !deps.profiles.find(name)) {
      sendJson(res, 404, {
        jsonrpc: '2.0',
        id: null,
        error: {
          code: -32001,
          message: `No profile named "${name}" here: list them with \`mcp-dock profiles list\`, or use /mcp for every server`,
        },
      });
      return true;
    }
    return endpoint(name).route(req, res, url);
  };

  return {
    route,
    sessions: () => [...endpoints].flatMap(([profile, e]) => e.sessions().map((s) => ({ ...s, profile }))),
    onSessionsChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      stop();
      const all = [...endpoints.values()];
      endpoints.clear();
      await Promise.allSettled(all.map((e) => e.close()));
    },
  };
}
