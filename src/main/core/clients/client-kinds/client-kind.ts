import type { ClientId, SnippetFormat, StdioLaunch } from '../../../../shared/snippets';
import type { ClientPaths } from '../lib/client-paths';

// One MCP server as a client config entry: a server on its own gives the command that launches
// it; the gateway and profiles give both their URL and the `mcp-dock gateway --stdio` launch.
export interface ClientEntry {
  name: string;
  launch?: StdioLaunch;
  url?: string;
}

export type EntryForm = 'url' | 'stdio';

// Where a client keeps its entries inside its config document.
export type EntryPlace =
  // A JSON (with comments) object of entries by name, at `path`.
  | { kind: 'json-map'; path: readonly string[] }
  // A YAML mapping of entries by name, at `path`.
  | { kind: 'yaml-map'; path: readonly string[] }
  // A YAML sequence of entries, each naming itself in `key`.
  | { kind: 'yaml-list'; path: readonly string[]; key: string }
  // TOML tables `[path.name]`.
  | { kind: 'toml-table'; path: readonly string[] };

// What MCP Dock knows about one client, from that client's own documentation (each module says
// where). Entry values are exactly what goes into the client's config under the entry's name.
export interface ClientKind {
  id: ClientId;
  // The snippet's format: the config file's, or `shell` for a command line.
  format: SnippetFormat;
  // Where entries go (in the config file, and in the snippet that shows them in place).
  place?: EntryPlace;
  // The user-level config file on this OS; undefined where there is none MCP Dock may edit.
  configPath(paths: ClientPaths): string | undefined;
  // Where there is no file: what to do instead, as the end of a sentence.
  noFile?: string;
  // A new config file's text, when the client has none yet and needs more than the entry.
  newFile?: string;
  stdio(name: string, launch: StdioLaunch): unknown;
  // Present when the client reaches servers by URL and signs in with OAuth itself, as MCP
  // Dock's endpoints require.
  url?(name: string, url: string): unknown;
  // Otherwise, why not (a sentence without its full stop), for the gateway's note.
  urlUnavailable?: string;
  // How the client signs in to a URL entry, where it takes a step of the user's (one sentence).
  signIn?(name: string): string;
  // The snippet's text when it is not the entry in its place (Claude Code's command line).
  text?(name: string, form: EntryForm, entry: ClientEntry): string;
  // A one-click install link, where the client documents one and it can carry this entry.
  installLink?(name: string, form: EntryForm, value: unknown, entry: ClientEntry): string | undefined;
}

// The command, arguments and environment as most clients spell them (Claude Desktop's format).
export function commandEntry(launch: StdioLaunch): Record<string, unknown> {
  return { command: launch.command, args: launch.args, ...(launch.env ? { env: launch.env } : {}) };
}

export const base64Json = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');
