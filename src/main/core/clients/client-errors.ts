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
