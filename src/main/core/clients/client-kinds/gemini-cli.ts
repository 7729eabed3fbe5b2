import { commandEntry, type ClientKind } from './client-kind';

// Gemini CLI: ~/.gemini/settings.json (Windows %USERPROFILE%\.gemini\settings.json),
// `mcpServers` by name; stdio {command, args, env} or Streamable HTTP {httpUrl} (`url` is SSE),
// with automatic OAuth discovery on a 401.
// Format: https://github.com/google-gemini/gemini-cli/blob/main/docs/tools/mcp-server.md
// Location: https://github.com/google-gemini/gemini-cli/blob/main/docs/reference/configuration.md
export const geminiCli: ClientKind = {
  id: 'gemini-cli',
  format: 'json',
  place: { kind: 'json-map', path: ['mcpServers'] },
  configPath: (p) => p.join(p.home, '.gemini', 'settings.json'),
  stdio: (_name, launch) => commandEntry(launch),
  url: (_name, url) => ({ httpUrl: url }),
};
