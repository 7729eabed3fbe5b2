import type { CommandRunner } from '../io';

// The one list of subcommands: names map to lazy loaders, so `mcp-dock --help` does not load
// Docker or HTTP code, and the keys are the valid names.
export const commands = {
  serve: () => import('./serve').then((m) => m.serve),
  servers: () => import('./servers').then((m) => m.servers),
  catalog: () => import('./catalog').then((m) => m.catalog),
  profiles: () => import('./profiles').then((m) => m.profiles),
  snippet: () => import('./snippet').then((m) => m.snippet),
  clients: () => import('./clients').then((m) => m.clients),
  token: () => import('./token').then((m) => m.token),
  crypto: () => import('./crypto').then((m) => m.crypto),
  pii: () => import('./pii').then((m) => m.pii),
  audit: () => import('./audit').then((m) => m.audit),
  tools: () => import('./tools').then((m) => m.tools),
  approvals: () => import('./approvals').then((m) => m.approvals),
  gateway: () => import('./gateway').then((m) => m.gateway),
} satisfies Record<string, () => Promise<CommandRunner>>;

export type CommandName = keyof typeof commands;

export const COMMAND_SUMMARIES: Record<CommandName, string> = {
  serve: 'Run MCP Dock headless: core, its HTTP server and the UI in your browser (loopback only)',
  servers:
    'Add, list, start, stop, restart, remove MCP servers (containers and remote URLs), read logs, sign in',
  catalog: 'Search an MCP registry and install its servers (catalog search|add)',
  profiles: 'Named selections of servers and tools, each at its own endpoint (/mcp/p/NAME), with tool search',
  snippet: 'Print a client’s config entry for a server, the gateway or a profile (16 clients)',
  clients: 'Create, list and revoke OAuth clients of the built-in authorization server',
  token: 'Get an access token from the running MCP Dock (client_credentials)',
  crypto: 'Fernet keys, encryption and decryption (compatible with Python cryptography)',
  pii: 'Find PII in text on stdin (scan, or scan --jsonl for batches)',
  audit: 'Verify the tamper-evident audit log, or export it as JSONL or CSV',
  tools:
    'Tool pins and call policies (tools pins|approve|policy), or the security and OAuth MCP tools over stdio (tools --stdio)',
  approvals: 'List, allow or deny tool calls held for a person by an ask call policy',
  gateway: 'Relay MCP on stdio to the running app’s gateway (gateway --stdio, for Claude Desktop)',
};

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}
