import { DockError } from '../../../shared/errors';
import { CLIENT_LABELS, type ClientId } from '../../../shared/snippets';
import { CLIENT_KINDS } from './client-kinds';

// A client that keeps its server list to itself (Claude Code's `claude mcp add`, JetBrains' IDE
// settings): there is no file to edit, and the message says what to do instead.
export class ClientUnsupportedError extends DockError {
  constructor(client: ClientId) {
    super(
      'CLIENT_UNSUPPORTED',
      CLIENT_KINDS[client].noFile ?? `${CLIENT_LABELS[client]} has no config file MCP Dock can edit.`,
    );
  }
}

// A client that launches commands only, asked for an entry that has only a URL.
export class ClientNeedsCommandError extends DockError {
  constructor(client: ClientId, entry: string) {
    super(
      'SNIPPET_UNAVAILABLE',
      `${CLIENT_LABELS[client]} connects to MCP servers by launching a command, and "${entry}" has only a URL: use the gateway's stdio entry instead.`,
    );
  }
}

// A run-mode server with secrets: each session is a fresh `docker run`, and a client starting one
// itself would have to carry the secret in its config. MCP Dock starts those sessions (with the
// secret from its store) for the gateway only.
// Only where the gateway is served (the app, `serve`) does it have entries to write.
export class GatewayEntryUnavailableError extends DockError {
  constructor() {
    super(
      'SNIPPET_UNAVAILABLE',
      'The gateway’s entry is written by the running app: use Connect in MCP Dock, or `mcp-dock snippet CLIENT --gateway`.',
    );
  }
}

export class SecretsStayInDockError extends DockError {
  constructor(server: string) {
    super(
      'SNIPPET_UNAVAILABLE',
      `"${server}" starts a fresh container per session with secrets that stay in MCP Dock: connect through the gateway's entry instead of a snippet of its own.`,
    );
  }
}
