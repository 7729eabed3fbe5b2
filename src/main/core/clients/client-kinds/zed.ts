import { commandEntry, type ClientKind } from './client-kind';

// Zed: settings.json (JSON with comments), `context_servers` by name; stdio {command, args, env}
// or remote {url} (Zed runs the MCP OAuth flow when no Authorization header is set).
// macOS ~/.config/zed/, Linux $XDG_CONFIG_HOME/zed/ (~/.config/zed/), Windows %APPDATA%\Zed\.
// Format: https://zed.dev/docs/ai/mcp (zed-industries/zed docs/src/ai/mcp.md)
// Location: https://zed.dev/docs/configuring-zed ("Settings Files")
export const zed: ClientKind = {
  id: 'zed',
  format: 'json',
  place: { kind: 'json-map', path: ['context_servers'] },
  configPath: (p) =>
    p.platform === 'win32'
      ? p.join(p.appData, 'Zed', 'settings.json')
      : p.join(p.platform === 'darwin' ? p.join(p.home, '.config') : p.xdgConfig, 'zed', 'settings.json'),
  stdio: (_name, launch) => commandEntry(launch),
  url: (_name, url) => ({ url }),
};
