import { CLIENT_FACTS } from '../../../../shared/snippets';
import { commandEntry, type ClientKind } from './client-kind';

// JetBrains AI Assistant: servers are added in the IDE, Settings | Tools | AI Assistant | Model
// Context Protocol (MCP), by hand or by pasting Claude-style `mcpServers` JSON ("As JSON"). The
// IDE stores them in its own per-version options folder, which is not documented for editing, so
// MCP Dock shows the JSON and where to paste it. Its docs name stdio as the transport.
// Format, where: https://www.jetbrains.com/help/ai-assistant/mcp.html
export const jetbrains: ClientKind = {
  id: 'jetbrains',
  format: 'json',
  place: { kind: 'json-map', path: ['mcpServers'] },
  configPath: () => undefined,
  noFile: `JetBrains AI Assistant keeps its servers in the IDE’s settings: paste the snippet in ${CLIENT_FACTS.jetbrains.pasteInto} instead.`,
  stdio: (_name, launch) => commandEntry(launch),
  urlUnavailable: 'JetBrains AI Assistant launches MCP servers as commands',
};
