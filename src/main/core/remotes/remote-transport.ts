import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { DockError } from '../../../shared/errors';
import { RemoteBadResponseError, RemoteUnreachableError } from './remote-errors';

export type WireTransport = 'streamable-http' | 'sse';

export interface RemoteTransportOptions {
  url: string;
  // auto: Streamable HTTP first, the legacy HTTP+SSE transport when the first POST gets 400, 404
  // or 405 (the spec's backwards-compatibility rule).
  transport: 'auto' | WireTransport;
  headers: Record<string, string>;
  authProvider?: OAuthClientProvider | undefined;
  // Told which transport answered, so later sessions go straight to it.
  onDetected?: ((transport: WireTransport) => void) | undefined;
  startTimeoutMs?: number | undefined;
}

const FALLBACK_STATUSES = new Set([400, 404, 405]);
const START_TIMEOUT_MS = 30_000;
// A DELETE that ends the upstream session should not hold up closing a gateway session.
const TERMINATE_TIMEOUT_MS = 2000;

// One MCP session's transport to a remote server: the SDK's client transports, with what the
// gateway needs around them. Failures become errors that say what happened (unreachable, or an
// answer that is not MCP) instead of "fetch failed"; and a remote that went away, or dropped the
// session (404 to a request with a session id), closes the transport, as a container's process
// ending does, so the pool marks it down and connects anew.
export class RemoteTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  sessionId?: string;
  // Why it closed, when it closed by itself: the pool shows this as the server's reason.
  closeReason: string | undefined;
  #inner: Transport | undefined;
  #wire: WireTransport;
  #fallbackAllowed: boolean;
  #protocolVersion: string | undefined;
  #closed = false;
  #started = false;

  constructor(private readonly options: RemoteTransportOptions) {
    this.#wire = options.transport === 'sse' ? 'sse' : 'streamable-http';
    this.#fallbackAllowed = options.transport === 'auto';
  }

  get wire(): WireTransport {
    return this.#wire;
  }

  async start(): Promise<void> {
    this.#started = true;
    await this.#open(this.#wire);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed || !this.#inner)
      throw new RemoteUnreachableError(this.options.url, 'the session is closed');
    try {
      await this.#inner.send(message);
      if (isInitialize(message)) this.#settle();
    } catch (error) {
      if (this.#fallbackAllowed && isInitialize(message) && fallsBack(error)) {
        await this.#swap('sse');
        return this.send(message);
      }
      const failure = this.#explain(error);
      // The session is gone upstream, or the server is: nothing more will come of this one.
      if (failure instanceof RemoteUnreachableError || sessionLost(error, this.#inner))
        this.#end(failure.message);
      throw failure;
    }
  }

  setProtocolVersion(version: string): void {
    this.#protocolVersion = version;
    this.#inner?.setProtocolVersion?.(version);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    const inner = this.#inner;
    if (inner instanceof StreamableHTTPClientTransport && inner.sessionId) {
      // Polite, and bounded: a server that is down must not hold up the gateway's close.
      await Promise.race([
        inner.terminateSession().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, TERMINATE_TIMEOUT_MS).unref()),
      ]);
    }
    this.#end(undefined);
  }

  // The first answer fixes the transport: no fallback later in the session.
  #settle(): void {
    if (!this.#fallbackAllowed) return;
    this.#fallbackAllowed = false;
    this.options.onDetected?.(this.#wire);
  }

  async #swap(wire: WireTransport): Promise<void> {
    const old = this.#inner;
    this.#inner = undefined;
    if (old) {
      old.onclose = undefined;
      await old.close().catch(() => undefined);
    }
    this.#wire = wire;
    await this.#open(wire);
  }

  async #open(wire: WireTransport): Promise<void> {
    const url = new URL(this.options.url);
    const requestInit = { headers: this.options.headers };
    const authProvider = this.options.authProvider;
    const inner: Transport =
      wire === 'sse'
        ? new SSEClientTransport(url, { requestInit, ...(authProvider ? { authProvider } : {}) })
        : new StreamableHTTPClientTransport(url, {
            requestInit,
            ...(authProvider ? { authProvider } : {}),
            // A lost standalone stream is tried again a few times; then the session counts as gone.
            reconnectionOptions: {
              initialReconnectionDelay: 500,
              maxReconnectionDelay: 5000,
              reconnectionDelayGrowFactor: 2,
              maxRetries: 3,
            },
          });
    inner.onmessage = (message) => this.onmessage?.(message);
    inner.onerror = (error) => {
      if (this.#inner !== inner) return;
      // The legacy transport's event stream broke, or the new one's could not be re-opened:
      // the server went away, and only a new session can tell when it is back.
      if (wire === 'sse' && this.#started && !this.#fallbackAllowed) this.#end(this.#explain(error).message);
      else if (/Maximum reconnection attempts|Failed to reconnect/.test(error.message))
        this.#end(this.#explain(error).message);
      else this.onerror?.(error);
    };
    inner.onclose = () => {
      if (this.#inner === inner) this.#end(this.closeReason);
    };
    this.#inner = inner;
    if (this.#protocolVersion) inner.setProtocolVersion?.(this.#protocolVersion);
    // The legacy transport's start waits for the server's `endpoint` event, which a server (or a
    // buffering proxy) may never send: bounded, so the remote shows down instead of connecting
    // for ever.
    let timer: NodeJS.Timeout | undefined;
    const limit = this.options.startTimeoutMs ?? START_TIMEOUT_MS;
    try {
      await Promise.race([
        inner.start(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new RemoteBadResponseError(
                  this.options.url,
                  `no ${wire === 'sse' ? 'endpoint event' : 'answer'} within ${limit / 1000} s`,
                ),
              ),
            limit,
          );
        }),
      ]);
    } catch (error) {
      if (this.#inner === inner) {
        inner.onclose = undefined;
        void inner.close().catch(() => undefined);
      }
      throw this.#explain(error);
    } finally {
      clearTimeout(timer);
    }
  }

  #end(reason: string | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.closeReason ??= reason;
    const inner = this.#inner;
    if (inner) {
      inner.onclose = undefined;
      void inner.close().catch(() => undefined);
    }
    this.onclose?.();
  }

  #explain(error: unknown): Error {
    const url = this.options.url;
    if (error instanceof DockError) return error;
    const e = error as { code?: unknown; message?: string; cause?: { code?: string; message?: string } };
    if (error instanceof StreamableHTTPError || /HTTP \d{3}|Non-200 status code/.test(e.message ?? '')) {
      const status =
        typeof e.code === 'number' && e.code > 0 ? e.code : /HTTP (\d{3})/.exec(e.message ?? '')?.[1];
      return new RemoteBadResponseError(
        url,
        status ? `HTTP ${status}: ${clip(e.message ?? '')}` : clip(e.message ?? 'an unexpected response'),
        { cause: error },
      );
    }
    if (error instanceof SyntaxError || (error as { name?: string }).name === 'ZodError')
      return new RemoteBadResponseError(url, `something that is not JSON-RPC (${clip(String(e.message))})`, {
        cause: error,
      });
    // undici's "fetch failed" carries the socket's reason in its cause.
    const reason = e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
    return new RemoteUnreachableError(url, reason, { cause: error });
  }
}

function isInitialize(message: JSONRPCMessage): boolean {
  return (message as { method?: string }).method === 'initialize';
}

function fallsBack(error: unknown): boolean {
  return (
    error instanceof StreamableHTTPError && error.code !== undefined && FALLBACK_STATUSES.has(error.code)
  );
}

// The spec: a 404 to a request carrying a session id means the server ended that session.
function sessionLost(error: unknown, inner: Transport | undefined): boolean {
  return error instanceof StreamableHTTPError && error.code === 404 && inner?.sessionId !== undefined;
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
