import { commandEntry, type ClientKind } from './client-kind';

// Cline (VS Code extension saoudrizwan.claude-dev): cline_mcp_settings.json in the extension's
// global storage, <VS Code user>/globalStorage/saoudrizwan.claude-dev/settings/, `mcpServers` by
// name; stdio {command, args, env} or remote {type: "streamableHttp", url} with OAuth 2.1
// sign-in ("Authenticate").
// Format: https://docs.cline.bot/mcp/configuring-mcp-servers (cline/cline docs/mcp/)
// Remote and OAuth: https://docs.cline.bot/mcp/connecting-to-a-remote-server
export const cline: ClientKind = {
  id: 'cline',
  format: 'json',
  place: { kind: 'json-map', path: ['mcpServers'] },
  configPath: (p) =>
    p.join(p.vscodeUser, 'globalStorage', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'),
  stdio: (_name, launch) => commandEntry(launch),
  url: (_name, url) => ({ type: 'streamableHttp', url }),
};
