import { commandEntry, type ClientKind } from './client-kind';

// Kiro: user-level ~/.kiro/settings/mcp.json (Windows %USERPROFILE%\.kiro\settings\), `mcpServers`
// by name; stdio {command, args, env, disabled, autoApprove} or remote {url, headers} (OAuth
// supported).
// Format, location: https://kiro.dev/docs/mcp/configuration
// Install link: https://kiro.dev/docs/mcp/servers ("Install link schema": https://kiro.dev/launch/mcp/add?name=&config=<URL-encoded JSON>)
export const kiro: ClientKind = {
  id: 'kiro',
  format: 'json',
  place: { kind: 'json-map', path: ['mcpServers'] },
  configPath: (p) => p.join(p.home, '.kiro', 'settings', 'mcp.json'),
  stdio: (_name, launch) => commandEntry(launch),
  url: (_name, url) => ({ url }),
  installLink: (name, _form, value) =>
    `https://kiro.dev/launch/mcp/add?name=${encodeURIComponent(name)}&config=${encodeURIComponent(JSON.stringify(value))}`,
};
