import type { GatewaySnippet } from '../../../shared/gateway';
import { gatewayEntryName } from '../../../shared/gateway';
import { CLIENT_LABELS, type ClientId, type StdioLaunch } from '../../../shared/snippets';
import { CLIENT_KINDS } from './client-kinds';
import { buildEntrySnippet } from './entry-snippet';
import type { SnippetContext } from './snippet-context';

const URL_NOTE =
  'The client signs in with OAuth the first time it connects: approve it in MCP Dock (Allow / Deny).';
const STDIO_NOTE =
  'mcp-dock gateway --stdio relays to the running app with a client credential MCP Dock keeps in its secret store; nothing secret is in this config.';

// The gateway as a client config entry (/mcp, or with `profile` that profile's endpoint). URL
// form: the client speaks Streamable HTTP and does the OAuth flow itself. Stdio form: for clients
// that only launch commands (Claude Desktop, and the clients whose URL entries cannot sign in with
// OAuth), and for anyone who picks it.
export function buildGatewaySnippet(
  client: ClientId,
  form: 'url' | 'stdio',
  url: string,
  launch: StdioLaunch,
  ctx: SnippetContext = {},
  profile?: string,
): GatewaySnippet {
  const kind = CLIENT_KINDS[client];
  const name = gatewayEntryName(profile);
  const snippet = buildEntrySnippet(client, { name, url, launch }, form, ctx);
  const note =
    snippet.form === 'url'
      ? (kind.signIn?.(name) ?? URL_NOTE)
      : form === 'url'
        ? `${kind.urlUnavailable ?? `${CLIENT_LABELS[client]} launches MCP servers as commands`}, so this is the stdio relay. ${STDIO_NOTE}`
        : STDIO_NOTE;
  return {
    client,
    form,
    entryName: name,
    format: snippet.format,
    text: snippet.text,
    url,
    ...(snippet.form === 'stdio' ? { launch } : {}),
    ...(snippet.configPath ? { configPath: snippet.configPath } : {}),
    ...(profile ? { profile } : {}),
    ...(snippet.deepLink ? { deepLink: snippet.deepLink } : {}),
    note,
  };
}
