import { DockError } from '../../shared/errors';

// Failures met only by commands that talk to a running MCP Dock over HTTP, or read their input
// line by line. Their codes are older than these classes and kept as they were: scripts may test them.

// `gateway --stdio` found no app answering /healthz at the origin on record.
export class AppNotRunningError extends DockError {
  constructor(origin: string) {
    super(
      'TRANSPORT_CLOSED',
      `MCP Dock is not running at ${origin}; start the app or \`mcp-dock serve\`, then reconnect`,
    );
  }
}

// The running app would not give the gateway's own client a token; `detail` is its status and error.
export class CredentialRefusedError extends DockError {
  constructor(origin: string, detail: string) {
    super('TRANSPORT_CLOSED', `MCP Dock at ${origin} refused the gateway's credential (${detail})`);
  }
}

// `token` could not reach the token endpoint at all (refused, reset, no such host).
export class AppNotAnsweringError extends DockError {
  constructor(base: string, reason: string) {
    super(
      'ENGINE_UNREACHABLE',
      `MCP Dock is not answering at ${base} (${reason}). Start it with \`npm start\` or \`mcp-dock serve\`, or pass --url.`,
    );
  }
}

// A line of JSON-lines input (`pii scan --jsonl`) that is not what the command reads.
export class InputLineError extends DockError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_INPUT', message, options);
  }
}
