import type { GatewaySnippet } from '../../../shared/gateway';
import { GATEWAY_ENTRY_NAME } from '../../../shared/gateway';
import type { ClientId, StdioLaunch } from '../../../shared/snippets';
import { claudeCodeAddStdio, clientConfigPath, shellQuote, type SnippetContext } from './snippets';

const URL_NOTE =
  'The client signs in with OAuth the first time it connects: approve it in MCP Dock (Allow / Deny).';
const STDIO_NOTE =
  'mcp-dock gateway --stdio relays to the running app with a client credential MCP Dock keeps in its secret store; nothing secret is in this config.';

// The gateway as a client config entry. URL form: the client speaks Streamable HTTP and does the
// OAuth flow itself. Stdio form: for clients that only launch commands (Claude Desktop).
export function buildGatewaySnippet(
  client: ClientId,
  form: 'url' | 'stdio',
  url: string,
  launch: StdioLaunch,
  ctx: SnippetContext = {},
): GatewaySnippet {
  const configPath = clientConfigPath(client, ctx);
  const base = { client, form, entryName: GATEWAY_ENTRY_NAME, url, ...(configPath ? { configPath } : {}) };
  const name = GATEWAY_ENTRY_NAME;
  const stdioEntry = {
    command: launch.command,
    args: launch.args,
    ...(launch.env ? { env: launch.env } : {}),
  };
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  if (form === 'stdio') {
    if (client === 'claude-code') {
      return {
        ...base,
        format: 'shell',
        text: claudeCodeAddStdio(name, launch),
        launch,
        note: STDIO_NOTE,
      };
    }
    const text =
      client === 'vscode'
        ? json({ servers: { [name]: { type: 'stdio', ...stdioEntry } } })
        : json({ mcpServers: { [name]: stdioEntry } });
    return { ...base, format: 'json', text, launch, note: STDIO_NOTE };
  }
  switch (client) {
    case 'cursor':
      return { ...base, format: 'json', text: json({ mcpServers: { [name]: { url } } }), note: URL_NOTE };
    case 'vscode':
      return {
        ...base,
        format: 'json',
        text: json({ servers: { [name]: { type: 'http', url } } }),
        note: URL_NOTE,
      };
    case 'windsurf':
      return {
        ...base,
        format: 'json',
        text: json({ mcpServers: { [name]: { serverUrl: url } } }),
        note: URL_NOTE,
      };
    case 'claude-code':
      return {
        ...base,
        format: 'shell',
        text: `${['claude', 'mcp', 'add', '--transport', 'http', name, url].map(shellQuote).join(' ')}\n`,
        note: URL_NOTE,
      };
    case 'claude-desktop':
      // Claude Desktop's config file only launches commands; remote servers are added in its
      // settings UI by URL, so the file form stays the stdio relay.
      return {
        ...base,
        format: 'json',
        text: json({ mcpServers: { [name]: stdioEntry } }),
        launch,
        note: `Claude Desktop’s config file runs commands only, so this is the stdio relay. ${STDIO_NOTE}`,
      };
  }
}
