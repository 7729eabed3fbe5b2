import { DockError } from '../../../shared/errors';

// A call for a server the pool has no live session with: not running, still connecting, or down
// (with the reason it went down). The gateway names the server in front of this message.
export class UpstreamUnavailableError extends DockError {
  constructor(server: string, upstream?: { state: string; reason?: string | undefined }) {
    super(
      'CONTAINER_FAILED',
      upstream
        ? `the server "${server}" is ${upstream.state}${upstream.reason ? `: ${upstream.reason}` : ''}`
        : `no running server "${server}"`,
    );
  }
}

// A JSON-RPC error as one side sent it, kept so the gateway passes it on unchanged: what an
// upstream server answered a forwarded request, or what a client (or the gateway's policy)
// answered a server's request.
export class UpstreamRpcError extends DockError {
  readonly rpc: { code: number; message: string; data?: unknown };

  constructor(rpc: { code: number; message: string; data?: unknown }) {
    super('UPSTREAM_ERROR', rpc.message);
    this.rpc = rpc;
  }
}

// The upstream answered `initialize` with something the gateway cannot speak.
export class UpstreamHandshakeError extends DockError {
  constructor(reason: string) {
    super('UPSTREAM_ERROR', reason);
  }
}

export class UpstreamTimeoutError extends DockError {
  constructor(readonly timeoutMs: number) {
    super('UPSTREAM_TIMEOUT', `no answer within ${timeoutMs} ms`);
  }
}

// The upstream's process (or its stream) ended while the request was in flight.
export class UpstreamClosedError extends DockError {
  constructor() {
    super('UPSTREAM_CLOSED', 'the upstream session is closed');
  }
}

// The caller gave up (its signal aborted); the upstream was told with notifications/cancelled.
export class UpstreamCancelledError extends DockError {
  constructor(reason: unknown) {
    super('UPSTREAM_CANCELLED', reason instanceof Error ? reason.message : String(reason ?? 'cancelled'));
  }
}

// A task id this session's client never got from a call through the gateway.
export class UnknownTaskError extends DockError {
  constructor(taskId: unknown) {
    super('INVALID_INPUT', `Unknown task: ${String(taskId)}`);
  }
}

// An answer for a held call that is no longer held: answered already, timed out, or withdrawn.
export class ApprovalNotFoundError extends DockError {
  constructor(id: string) {
    super(
      'APPROVAL_NOT_FOUND',
      `no call waits for approval with id ${id} (answered, timed out or withdrawn)`,
    );
  }
}
