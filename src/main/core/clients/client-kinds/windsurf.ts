import { commandEntry, type ClientKind } from './client-kind';

// Windsurf: ~/.codeium/windsurf/mcp_config.json on every OS, `mcpServers` by name; stdio
// {command, args, env} or remote {serverUrl} (Streamable HTTP; OAuth sign-in when no headers are set).
// Format, location: https://docs.windsurf.com/windsurf/cascade/mcp
export const windsurf: ClientKind = {
  id: 'windsurf',
  format: 'json',
  place: { kind: 'json-map', path: ['mcpServers'] },
  configPath: (p) => p.join(p.home, '.codeium', 'windsurf', 'mcp_config.json'),
  stdio: (_name, launch) => commandEntry(launch),
  url: (_name, url) => ({ serverUrl: url }),
};
