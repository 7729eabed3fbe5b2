import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import {
  UpstreamCancelledError,
  UpstreamClosedError,
  UpstreamRpcError,
  UpstreamTimeoutError,
} from './gateway-errors';

// The SDK's own default, kept so a request without a timeout behaves as it did through its Client.
const DEFAULT_TIMEOUT_MS = 60_000;
const METHOD_NOT_FOUND = -32601;
// The SDK's code for a connection that closed with requests in flight.
const CONNECTION_CLOSED = -32000;

type Params = Record<string, unknown>;

export interface UpstreamProgress {
  progress: number;
  total?: number;
  message?: string;
}

export interface ForwardOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  // A long call that reports progress is alive: each progress restarts its deadline.
  resetTimeoutOnProgress?: boolean | undefined;
  // Given, the request carries a progress token of this session's own (the request's id), so the
  // caller's token never has to be unique upstream; progress is handed back here.
  onProgress?: ((progress: UpstreamProgress) => void) | undefined;
}

export interface UpstreamNotification {
  method: string;
  params?: Params | undefined;
}

// A request the server sends to the client (sampling, elicitation, roots, tasks/*): answered by
// whoever the session belongs to. `signal` aborts when the server cancels it.
export interface UpstreamRequest {
  method: string;
  params?: Params | undefined;
  signal: AbortSignal;
}

// What a server-to-client request is answered with when it fails: a JSON-RPC error as sent.
export interface RpcErrorShape {
  code: number;
  message: string;
  data?: unknown;
}

interface Pending {
  resolve: (result: Params) => void;
  reject: (error: unknown) => void;
  onProgress: ((progress: UpstreamProgress) => void) | undefined;
  restart: (() => void) | undefined;
  cleanup: () => void;
}

// A raw JSON-RPC client session with one upstream MCP server, over the Transport that
// `containers.openTransport` returns. Not the SDK's Client, for three reasons: the SDK hands
// notifications to their handlers a microtask late while it settles responses at once, so the
// last progress of a call that arrives in the same read as its result was dropped
// (typescript-sdk#2580); it parses results with its own schemas (and refuses what they reject);
// and it rebuilds request params, losing `_meta`. Here every message is dispatched synchronously,
// in arrival order, params go out as given and results come back as sent.
export class UpstreamSession {
  readonly #transport: Transport;
  readonly #onNotification: ((notification: UpstreamNotification) => void) | undefined;
  readonly #onRequest: ((request: UpstreamRequest) => Promise<Params>) | undefined;
  readonly #pending = new Map<number, Pending>();
  // Server-to-client requests being answered, so a cancellation from the server reaches them.
  readonly #incoming = new Map<string | number, AbortController>();
  #nextId = 0;
  #closed = false;

  constructor(options: {
    transport: Transport;
    onNotification?: (notification: UpstreamNotification) => void;
    // Without it, only ping is answered; anything else gets -32601, as from a client that
    // declared no capabilities.
    onRequest?: (request: UpstreamRequest) => Promise<Params>;
    onClose?: () => void;
  }) {
    this.#transport = options.transport;
    this.#onNotification = options.onNotification;
    this.#onRequest = options.onRequest;
    const onClose = options.onClose;
    this.#transport.onmessage = (message) => this.#dispatch(message);
    this.#transport.onclose = () => {
      this.#closed = true;
      const pending = [...this.#pending.values()];
      this.#pending.clear();
      for (const incoming of this.#incoming.values()) incoming.abort(new UpstreamClosedError());
      this.#incoming.clear();
      for (const p of pending) {
        p.cleanup();
        p.reject(new UpstreamClosedError());
      }
      onClose?.();
    };
  }

  start(): Promise<void> {
    return this.#transport.start();
  }

  // The handshake: `initialize`, then `notifications/initialized`. The result is returned as the
  // server sent it (protocol version, capabilities, serverInfo, instructions).
  async initialize(params: Params, options: ForwardOptions = {}): Promise<Params> {
    const result = await this.forward('initialize', params, options);
    if (typeof result.protocolVersion === 'string')
      this.#transport.setProtocolVersion?.(result.protocolVersion);
    await this.notify('notifications/initialized');
    return result;
  }

  async notify(method: string, params?: Params): Promise<void> {
    await this.#transport.send({ jsonrpc: '2.0', method, ...(params ? { params } : {}) });
  }

  forward(method: string, params: Params | undefined, options: ForwardOptions = {}): Promise<Params> {
    const { signal, onProgress } = options;
    if (this.#closed) return Promise.reject(new UpstreamClosedError());
    if (signal?.aborted) return Promise.reject(new UpstreamCancelledError(signal.reason));
    const id = this.#nextId++;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const sent = onProgress ? { ...params, _meta: { ...metaOf(params), progressToken: id } } : params;

    return new Promise<Params>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const giveUp = (error: UpstreamTimeoutError | UpstreamCancelledError, reason: unknown) => {
        if (!this.#pending.delete(id)) return;
        cleanup();
        void this.notify('notifications/cancelled', { requestId: id, reason: String(reason) }).catch(
          () => undefined,
        );
        reject(error);
      };
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const error = new UpstreamTimeoutError(timeoutMs);
          giveUp(error, error.message);
        }, timeoutMs);
      };
      const onAbort = () => giveUp(new UpstreamCancelledError(signal?.reason), signal?.reason);
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      this.#pending.set(id, {
        resolve,
        reject,
        onProgress,
        restart: options.resetTimeoutOnProgress ? arm : undefined,
        cleanup,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      arm();
      this.#transport
        .send({ jsonrpc: '2.0', id, method, ...(sent ? { params: sent } : {}) })
        .catch((error: unknown) => {
          if (!this.#pending.delete(id)) return;
          cleanup();
          reject(error);
        });
    });
  }

  // Requests the server is still waiting on are answered first (the client has gone): a server
  // waiting for an answer does not exit at the end of its input, and an exec cannot be killed.
  async close(): Promise<void> {
    const waiting = [...this.#incoming.entries()];
    this.#incoming.clear();
    await Promise.all(
      waiting.map(([id, controller]) => {
        controller.abort(new UpstreamClosedError());
        return this.#transport
          .send({ jsonrpc: '2.0', id, error: { code: CONNECTION_CLOSED, message: 'Connection closed' } })
          .catch(() => undefined);
      }),
    );
    await this.#transport.close();
  }

  // One synchronous pass per message, in the order the transport read them: a progress
  // notification reaches its caller before the response that follows it is looked at.
  #dispatch(message: JSONRPCMessage): void {
    const raw = message as {
      id?: string | number;
      method?: string;
      params?: Params;
      result?: Params;
      error?: { code: number; message: string; data?: unknown };
    };
    if (typeof raw.method === 'string') {
      if (raw.id !== undefined) this.#answerServerRequest(raw.id, raw.method, raw.params);
      else if (raw.method === 'notifications/progress') this.#progress(raw.params);
      else if (raw.method === 'notifications/cancelled' && this.#cancelIncoming(raw.params)) return;
      else this.#onNotification?.({ method: raw.method, params: raw.params });
      return;
    }
    if (typeof raw.id !== 'number') return;
    const pending = this.#pending.get(raw.id);
    if (!pending) return;
    this.#pending.delete(raw.id);
    pending.cleanup();
    if (raw.error) pending.reject(new UpstreamRpcError(raw.error));
    else pending.resolve(raw.result ?? {});
  }

  #progress(params: Params | undefined): void {
    const { progressToken, ...progress } = params ?? {};
    const pending = typeof progressToken === 'number' ? this.#pending.get(progressToken) : undefined;
    if (!pending?.onProgress) return;
    pending.restart?.();
    pending.onProgress(progress as unknown as UpstreamProgress);
  }

  // Ping is answered here; anything else goes to the session's owner, and its answer (or its
  // JSON-RPC error, as the client sent it) back to the server under the server's id.
  #answerServerRequest(id: string | number, method: string, params: Params | undefined): void {
    const reply = (answer: { result: Params } | { error: RpcErrorShape }) => {
      if (this.#closed) return;
      void this.#transport.send({ jsonrpc: '2.0', id, ...answer } as JSONRPCMessage).catch(() => undefined);
    };
    if (method === 'ping') return reply({ result: {} });
    if (!this.#onRequest) return reply({ error: { code: METHOD_NOT_FOUND, message: 'Method not found' } });
    const controller = new AbortController();
    this.#incoming.set(id, controller);
    this.#onRequest({ method, ...(params ? { params } : {}), signal: controller.signal }).then(
      (result) => {
        if (this.#incoming.get(id) !== controller) return;
        this.#incoming.delete(id);
        reply({ result });
      },
      (error: unknown) => {
        if (this.#incoming.get(id) !== controller) return;
        this.#incoming.delete(id);
        reply({ error: rpcErrorOf(error) });
      },
    );
  }

  // The server gave up on a request it sent: no answer is due (the spec's rule for cancellation).
  #cancelIncoming(params: Params | undefined): boolean {
    const requestId = params?.requestId;
    if (typeof requestId !== 'string' && typeof requestId !== 'number') return false;
    const incoming = this.#incoming.get(requestId);
    if (!incoming) return false;
    this.#incoming.delete(requestId);
    incoming.abort(params?.reason ?? 'cancelled by the server');
    return true;
  }
}

// A failure answered to the server: a JSON-RPC error the client sent keeps its code, message and
// data; anything else is an internal error that says what went wrong.
export function rpcErrorOf(error: unknown): RpcErrorShape {
  const e = error as { code?: unknown; message?: unknown; data?: unknown; rpc?: RpcErrorShape };
  if (e?.rpc) return e.rpc;
  if (typeof e?.code === 'number' && Number.isSafeInteger(e.code) && typeof e.message === 'string')
    return { code: e.code, message: e.message, ...(e.data !== undefined ? { data: e.data } : {}) };
  return { code: -32603, message: error instanceof Error ? error.message : String(error) };
}

function metaOf(params: Params | undefined): Params {
  const meta = params?._meta;
  return meta && typeof meta === 'object' ? (meta as Params) : {};
}
