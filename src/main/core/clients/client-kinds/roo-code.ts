import { commandEntry, type ClientKind } from './client-kind';

// Roo Code (VS Code extension rooveterinaryinc.roo-cline): global mcp_settings.json in
// <VS Code user>/globalStorage/rooveterinaryinc.roo-cline/settings/, `mcpServers` by name;
// stdio {command, args, env}. Remote entries ({type: "streamable-http", url, headers}) take
// static headers only; its docs describe no OAuth sign-in, so MCP Dock gives it the stdio relay.
// Format: https://docs.roocode.com/features/mcp/using-mcp-in-roo (RooCodeInc/Roo-Code-Docs)
export const rooCode: ClientKind = {
  id: 'roo-code',
  format: 'json',
  place: { kind: 'json-map', path: ['mcpServers'] },
  configPath: (p) =>
    p.join(p.vscodeUser, 'globalStorage', 'rooveterinaryinc.roo-cline', 'settings', 'mcp_settings.json'),
  stdio: (_name, launch) => commandEntry(launch),
  urlUnavailable: 'Roo Code’s URL entries take static headers, not the OAuth sign-in MCP Dock requires',
};
