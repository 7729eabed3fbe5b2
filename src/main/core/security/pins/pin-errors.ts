import { DockError } from '../../../../shared/errors';
import type { PinStatus } from '../../../../shared/pins';

// The gateway does not serve a tool whose definition no person has approved: it changed since its
// pin, or it is new to the server. The message says how to approve it.
export class ToolWithheldError extends DockError {
  constructor(server: string, tool: string, status: Exclude<PinStatus, 'approved'>, shownAs: string) {
    const why =
      status === 'changed'
        ? 'its definition changed since it was approved'
        : 'it is new to the server and not approved yet';
    super(
      'TOOL_WITHHELD',
      `The tool ${shownAs} is withheld by MCP Dock: ${why}. Review the change in MCP Dock's Gateway pane and approve it there, or run: mcp-dock tools approve ${server} ${tool}`,
    );
  }
}

// Approving or keeping withheld a tool the pins do not hold, or one with nothing to approve.
export class PinNotFoundError extends DockError {
  constructor(server: string, tool: string | undefined, why: string) {
    super('PIN_NOT_FOUND', `${tool === undefined ? server : `${server} ${tool}`}: ${why}`);
  }
}
