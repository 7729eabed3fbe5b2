import { DockError } from '../../../shared/errors';

// Claude Code keeps its server list to itself (`claude mcp add`), so there is no file to edit.
export class ClientUnsupportedError extends DockError {
  constructor() {
    super(
      'CLIENT_UNSUPPORTED',
      'Claude Code keeps its own server list: run the `claude mcp add ...` command from the snippet instead.',
    );
  }
}

// A run-mode server with secrets: each session is a fresh `docker run`, and a client starting one
// itself would have to carry the secret in its config. MCP Dock starts those sessions (with the
// secret from its store) for the gateway only.
export class SecretsStayInDockError extends DockError {
  constructor(server: string) {
    super(
      'SNIPPET_UNAVAILABLE',
      `"${server}" starts a fresh container per session with secrets that stay in MCP Dock: connect through the gateway's entry instead of a snippet of its own.`,
    );
  }
}
