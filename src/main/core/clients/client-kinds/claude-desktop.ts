import { commandEntry, type ClientKind } from './client-kind';

// Claude Desktop: claude_desktop_config.json, `mcpServers` by name, stdio {command, args, env}
// only (remote servers are added in its settings as connectors, not in this file).
// macOS ~/Library/Application Support/Claude/, Windows %APPDATA%\Claude\ (no official Linux
// build; the community one uses ~/.config/Claude/).
// Format, location: https://modelcontextprotocol.io/quickstart/user ("claude_desktop_config.json")
export const claudeDesktop: ClientKind = {
  id: 'claude-desktop',
  format: 'json',
  place: { kind: 'json-map', path: ['mcpServers'] },
  configPath: (p) => p.join(p.appConfig, 'Claude', 'claude_desktop_config.json'),
  stdio: (_name, launch) => commandEntry(launch),
  urlUnavailable: 'Claude Desktop’s config file runs commands only',
};
