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
  // Given, the request carries a progress token of this session's own, since one upstream is
  // shared by every gateway session and the callers' tokens could clash.
  onProgress?: ((progress: UpstreamProgress) => void) | undefined;
}

export interface UpstreamNotification {
  method: string;
  params?: Params | undefined;
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
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #closed = false;

  constructor(options: {
    transport: Transport;
    onNotification?: (notification: UpstreamNotification) => void;
    onClose?: () => void;
  }) {
    this.#transport = options.transport;
    this.#onNotification = options.onNotification;
    const onClose = options.onClose;
    this.#transport.onmessage = (message) => this.#dispatch(message);
    this.#transport.onclose = () => {
      this.#closed = true;
      const pending = [...this.#pending.values()];
      this.#pending.clear();
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

  close(): Promise<void> {
    return this.#transport.close();
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
      if (raw.id !== undefined) this.#answerServerRequest(raw.id, raw.method);
      else if (raw.method === 'notifications/progress') this.#progress(raw.params);
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

  // Server-to-client requests are not relayed yet (the gateway declares no client capabilities
  // upstream): ping is answered here, anything else is refused as the SDK's Client refused it.
  #answerServerRequest(id: string | number, method: string): void {
    const answer: JSONRPCMessage =
      method === 'ping'
        ? { jsonrpc: '2.0', id, result: {} }
        : { jsonrpc: '2.0', id, error: { code: METHOD_NOT_FOUND, message: 'Method not found' } };
    void this.#transport.send(answer).catch(() => undefined);
  }
}

function metaOf(params: Params | undefined): Params {
  const meta = params?._meta;
  return meta && typeof meta === 'object' ? (meta as Params) : {};
}
