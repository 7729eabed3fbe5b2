import type { IncomingMessage } from 'node:http';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ErrorCode,
  isJSONRPCNotification,
  isJSONRPCRequest,
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type MessageExtraInfo,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';

export const DEFAULT_REQUEST_DEADLINE_MS = 61_000;

// The requests of one POST: one HTTP response carries all their answers.
interface Group {
  open: Set<RequestId>;
  cancelled: RequestId[];
}

interface Flight {
  group: Group;
  // The server has it (the SDK may still refuse a POST it was claimed for).
  delivered: boolean;
  timer?: NodeJS.Timeout;
  // Holds on the deadline (a call waiting for a person): no timer runs while any is held.
  holds?: number;
  // Set for a request answered as JSON: where its response goes (undefined: cancelled).
  reply?: (response: JSONRPCMessage | undefined) => void;
}

// The requests of one POST, taken for a session before its server sees them.
export interface Claim {
  // Set when one of the ids is in flight already on this session; then nothing was taken.
  readonly conflict?: RequestId;
  // After the SDK handled the POST: whatever it refused (406, 415...) never reached the server.
  settle(): void;
  // The client went away before the answer: its requests are cancelled.
  cancel(reason: string): void;
}

// One session's transport: the SDK's Streamable HTTP server transport, plus a shorter way for the
// commonest message, a single request that asked for no progress. Streamable HTTP lets the server
// answer a POST with either an SSE stream or one application/json body; the SDK picks one mode
// per transport, and its stream mode (a web Request and ReadableStream per call, an SSE event
// stored for resumption, several writes) was the largest part of the gateway's per-call cost
// after the container itself. So such a request is handed to the session's server here and its
// response written as JSON in one write; everything else (initialize, batches, notifications,
// progress, GET streams, resumption, DELETE) stays with the SDK.
//
// It also keeps the session's requests in flight, whichever way they came, because neither the
// SDK's server nor its transport closes a POST that gets no response: a request the client
// cancelled (the server rightly sends nothing), one that reused an id still in flight (its
// response went to the other POST), one whose handler never returned. Here an id in flight
// cannot be taken twice, a cancelled request's POST is closed without a response, and a request
// not answered by its deadline (reset by progress) is answered with an error and cancelled.
export class JsonReplyTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  readonly #flights = new Map<RequestId, Flight>();

  constructor(
    readonly sdk: StreamableHTTPServerTransport,
    private readonly deadlineMs: () => number = () => DEFAULT_REQUEST_DEADLINE_MS,
  ) {}

  get sessionId(): string | undefined {
    return this.sdk.sessionId;
  }

  // Requests taken and not yet answered, cancelled or timed out.
  get inFlight(): number {
    return this.#flights.size;
  }

  setProtocolVersion(version: string): void {
    (this.sdk as Transport).setProtocolVersion?.(version);
  }

  async start(): Promise<void> {
    this.sdk.onmessage = (message, extra) => {
      if (isJSONRPCRequest(message)) {
        // Every request the server sees is kept, so its answer finds its way; one that came
        // without a claim (none should) is kept from here.
        const flight = this.#flights.get(message.id);
        if (flight) flight.delivered = true;
        else
          this.#flights.set(message.id, {
            group: { open: new Set([message.id]), cancelled: [] },
            delivered: true,
          });
        this.#arm(message.id);
      }
      this.onmessage?.(message, extra);
      if (isJSONRPCNotification(message) && message.method === 'notifications/cancelled') {
        const id = (message.params as { requestId?: RequestId } | undefined)?.requestId;
        if (id !== undefined) this.#cancelled(id);
      }
    };
    this.sdk.onerror = (error) => this.onerror?.(error);
    this.sdk.onclose = () => {
      this.#endAll('the session was closed');
      this.onclose?.();
    };
    await this.sdk.start();
  }

  claim(ids: readonly RequestId[]): Claim {
    const conflict = ids.find((id, i) => this.#flights.has(id) || ids.indexOf(id) !== i);
    if (conflict !== undefined) return { conflict, settle: () => undefined, cancel: () => undefined };
    const group: Group = { open: new Set(ids), cancelled: [] };
    const flights = ids.map((id) => {
      const flight: Flight = { group, delivered: false };
      this.#flights.set(id, flight);
      return [id, flight] as const;
    });
    const mine = () => flights.filter(([id, flight]) => this.#flights.get(id) === flight);
    return {
      settle: () => {
        for (const [id, flight] of mine()) if (!flight.delivered) this.#drop(id, flight);
      },
      cancel: (reason) => {
        for (const [id] of mine()) this.#cancel(id, reason);
      },
    };
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    // What the session's own server sends is typed already: its shape says what it is, without
    // a schema parse of every outgoing message.
    if ('id' in message && ('result' in message || 'error' in message)) {
      const flight = this.#flights.get(message.id!);
      // Late: the request was cancelled or timed out, and its POST is closed.
      if (!flight) return;
      this.#drop(message.id!, flight);
      if (flight.reply) return flight.reply(message);
      try {
        await this.sdk.send(message, options);
      } finally {
        this.#closeIfOnlyCancelledLeft(flight.group);
      }
      return;
    }
    const related = options?.relatedRequestId;
    const flight = related === undefined ? undefined : this.#flights.get(related);
    if (related !== undefined && !flight) {
      // A request to the client still reaches it, on the session's GET stream; a notification
      // about a request that is over has nowhere to go.
      if ('id' in message) await this.sdk.send(message);
      return;
    }
    if (flight) this.#arm(related!);
    if (!flight?.reply) return this.sdk.send(message, options);
    // A request to the client, or a notification (a server's log line), tied to a request
    // answered as JSON has no stream of its own: it travels on the session's GET stream, if the
    // client keeps one open. Requests that asked for progress never come this way, nor do those
    // of a client that answers requests of servers (its session streams every reply).
    await this.sdk.send(message);
  }

  // Runs one request, claimed before, through the session's server and resolves with its
  // response, or with undefined once it is cancelled (no response is due then).
  answer(request: JSONRPCRequest, extra: MessageExtraInfo): Promise<JSONRPCMessage | undefined> {
    const flight = this.#flights.get(request.id);
    if (!flight) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      flight.reply = resolve;
      this.sdk.onmessage?.(request, extra);
    });
  }

  async close(): Promise<void> {
    await this.sdk.close();
  }

  // Stops a request's deadline while its handler waits for a person (a held call, which has a
  // deadline of its own); the release starts it afresh.
  holdDeadline(id: RequestId): () => void {
    const flight = this.#flights.get(id);
    if (!flight) return () => undefined;
    flight.holds = (flight.holds ?? 0) + 1;
    clearTimeout(flight.timer);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      flight.holds! -= 1;
      if (this.#flights.get(id) === flight) this.#arm(id);
    };
  }

  // The deadline starts when the request reaches the server and restarts with each message
  // sent about it (progress).
  #arm(id: RequestId): void {
    const flight = this.#flights.get(id);
    if (!flight) return;
    clearTimeout(flight.timer);
    if (flight.holds) return;
    const ms = this.deadlineMs();
    flight.timer = setTimeout(() => this.#expire(id, flight, ms), ms);
    flight.timer.unref();
  }

  #expire(id: RequestId, flight: Flight, ms: number): void {
    if (this.#flights.get(id) !== flight) return;
    // The handler stops as if the client had cancelled; whatever it sends later is dropped.
    this.onmessage?.({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: id, reason: 'deadline' },
    });
    const seconds = Math.round(ms / 100) / 10;
    void this.send({
      jsonrpc: '2.0',
      id,
      error: {
        code: ErrorCode.RequestTimeout,
        message: `Request timed out: no answer within ${seconds} s (callTimeoutMs in gateway.json); it was cancelled`,
      },
    }).catch((error: Error) => this.onerror?.(error));
  }

  // The client cancelled (or went away): its server stops, and no response is sent (the MCP
  // spec's rule), but its POST is closed, the JSON one at once, an SSE one once the other
  // requests of its batch are answered.
  #cancel(id: RequestId, reason: string): void {
    if (!this.#flights.has(id)) return;
    this.onmessage?.({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: id, reason },
    });
    this.#cancelled(id);
  }

  #cancelled(id: RequestId): void {
    const flight = this.#flights.get(id);
    if (!flight || flight.group.cancelled.includes(id)) return;
    clearTimeout(flight.timer);
    flight.timer = undefined;
    if (flight.reply) {
      this.#drop(id, flight);
      return flight.reply(undefined);
    }
    // Kept in flight until its stream is closed: the SDK finds a stream by request id, and the
    // id must not be reused by then.
    flight.group.open.delete(id);
    flight.group.cancelled.push(id);
    this.#closeIfOnlyCancelledLeft(flight.group);
  }

  #closeIfOnlyCancelledLeft(group: Group): void {
    if (group.open.size > 0 || group.cancelled.length === 0) return;
    this.sdk.closeSSEStream(group.cancelled[0]!);
    for (const id of group.cancelled) this.#flights.delete(id);
    group.cancelled = [];
  }

  #drop(id: RequestId, flight: Flight): void {
    clearTimeout(flight.timer);
    this.#flights.delete(id);
    flight.group.open.delete(id);
  }

  #endAll(message: string): void {
    const flights = [...this.#flights];
    this.#flights.clear();
    for (const [id, flight] of flights) {
      clearTimeout(flight.timer);
      flight.reply?.({ jsonrpc: '2.0', id, error: { code: -32000, message } } as JSONRPCMessage);
    }
  }
}

// Whether a POST can take the JSON path: headers the SDK would accept as they are, and a single
// request, not initialize, that asked for no progress. Anything else goes to the SDK, which
// answers it, or refuses it with its own errors (406, 415, unsupported protocol version).
export function jsonReplyCandidate(req: IncomingMessage, body: unknown): JSONRPCRequest | undefined {
  const accept = req.headers.accept;
  if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return undefined;
  const version = req.headers['mcp-protocol-version'];
  if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(String(version))) return undefined;
  if (!isJSONRPCRequest(body) || body.method === 'initialize') return undefined;
  if (body.params?._meta?.progressToken !== undefined) return undefined;
  return body;
}

// The ids of the requests in a POST body (one message or a batch).
export function requestIds(body: unknown): RequestId[] {
  return (Array.isArray(body) ? body : [body]).filter(isJSONRPCRequest).map((m) => m.id);
}
