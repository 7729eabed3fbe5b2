import type { ClientKind } from './client-kind';

// opencode: ~/.config/opencode/opencode.json ($XDG_CONFIG_HOME/opencode/ where set, on every OS),
// JSON with comments, `mcp` by name; {type: "local", command: [cmd, ...args], environment} or
// {type: "remote", url} (OAuth with dynamic registration on a 401, or `opencode mcp auth NAME`).
// Format: https://opencode.ai/docs/mcp-servers (anomalyco/opencode packages/web/src/content/docs/mcp-servers.mdx)
// Location: https://opencode.ai/docs/config ("Global")
export const opencode: ClientKind = {
  id: 'opencode',
  format: 'json',
  place: { kind: 'json-map', path: ['mcp'] },
  configPath: (p) => p.join(p.xdgConfig, 'opencode', 'opencode.json'),
  stdio: (_name, launch) => ({
    type: 'local',
    command: [launch.command, ...launch.args],
    ...(launch.env ? { environment: launch.env } : {}),
    enabled: true,
  }),
  url: (_name, url) => ({ type: 'remote', url, enabled: true }),
};
