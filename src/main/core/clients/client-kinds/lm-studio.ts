import { base64Json, commandEntry, type ClientKind } from './client-kind';

// LM Studio (0.3.17+): its mcp.json, ~/.lmstudio/mcp.json (Windows %USERPROFILE%\.lmstudio\),
// "follows Cursor's mcp.json notation": `mcpServers` by name, stdio {command, args, env}. Its
// remote entries are shown with static headers only, not an OAuth sign-in, so MCP Dock gives it
// the stdio relay.
// Format: https://lmstudio.ai/docs/app/mcp (the file is opened in-app with Install > Edit mcp.json)
// Install link: https://lmstudio.ai/docs/app/mcp/deeplink (lmstudio://add_mcp?name=&config=<base64 JSON>)
export const lmStudio: ClientKind = {
  id: 'lm-studio',
  format: 'json',
  place: { kind: 'json-map', path: ['mcpServers'] },
  configPath: (p) => p.join(p.home, '.lmstudio', 'mcp.json'),
  stdio: (_name, launch) => commandEntry(launch),
  urlUnavailable: 'LM Studio’s URL entries take static headers, not the OAuth sign-in MCP Dock requires',
  installLink: (name, _form, value) =>
    `lmstudio://add_mcp?name=${encodeURIComponent(name)}&config=${encodeURIComponent(base64Json(value))}`,
};
