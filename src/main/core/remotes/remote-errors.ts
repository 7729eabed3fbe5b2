import { DockError } from '../../../shared/errors';

// The remote server cannot be reached at all (refused, reset, DNS, TLS): its calls fail with this
// and the gateway marks it down until it answers again.
export class RemoteUnreachableError extends DockError {
  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    super('REMOTE_UNREACHABLE', `cannot reach ${url}: ${reason}`, options);
  }
}

// It answered, but not with MCP: an HTTP error, a body that is not JSON-RPC, a wrong content type.
export class RemoteBadResponseError extends DockError {
  constructor(url: string, what: string, options?: { cause?: unknown }) {
    super('REMOTE_BAD_RESPONSE', `${url} answered ${what}`, options);
  }
}

// OAuth with no usable token: nobody signed in yet, or the refresh failed and consent is due again.
export class RemoteSignInRequiredError extends DockError {
  constructor(server: string, why: string) {
    super(
      'REMOTE_SIGN_IN_REQUIRED',
      `"${server}" needs you to sign in (${why}): use Sign in on its card, or \`mcp-dock servers signin ${server}\``,
    );
  }
}

// The authorization server refused: discovery, registration or the code exchange failed.
export class RemoteAuthError extends DockError {
  constructor(server: string, reason: string, options?: { cause?: unknown }) {
    super('REMOTE_AUTH_FAILED', `signing in to "${server}" failed: ${reason}`, options);
  }
}

// A container operation (start, stop, logs, pull) asked of a remote server.
export class NotAContainerError extends DockError {
  constructor(server: string, operation: string) {
    super(
      'NOT_A_CONTAINER',
      `"${server}" is a remote server: there is no container to ${operation}. The gateway connects to it while it is listed; remove it with \`mcp-dock servers remove ${server}\`.`,
    );
  }
}
