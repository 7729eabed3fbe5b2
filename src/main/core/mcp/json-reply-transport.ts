import type { IncomingMessage } from 'node:http';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isJSONRPCRequest,
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type MessageExtraInfo,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';

// One session's transport: the SDK's Streamable HTTP server transport, plus a shorter way for the
// commonest message, a single request that asked for no progress. Streamable HTTP lets the server
// answer a POST with either an SSE stream or one application/json body; the SDK picks one mode
// per transport, and its stream mode (a web Request and ReadableStream per call, an SSE event
// stored for resumption, several writes) was the largest part of the gateway's per-call cost
// after the container itself. So such a request is handed to the session's server here and its
// response written as JSON in one write; everything else (initialize, batches, notifications,
// progress, GET streams, resumption, DELETE) stays with the SDK.
export class JsonReplyTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  readonly #pending = new Map<RequestId, (response: JSONRPCMessage) => void>();

  constructor(readonly sdk: StreamableHTTPServerTransport) {}

  get sessionId(): string | undefined {
    return this.sdk.sessionId;
  }

  setProtocolVersion(version: string): void {
    (this.sdk as Transport).setProtocolVersion?.(version);
  }

  async start(): Promise<void> {
    this.sdk.onmessage = (message, extra) => this.onmessage?.(message, extra);
    this.sdk.onerror = (error) => this.onerror?.(error);
    this.sdk.onclose = () => {
      this.#failPending('the session was closed');
      this.onclose?.();
    };
    await this.sdk.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    // What the session's own server sends is typed already: its shape says what it is, without
    // a schema parse of every outgoing message.
    const isResponse = 'id' in message && ('result' in message || 'error' in message);
    const id = isResponse ? message.id : options?.relatedRequestId;
    const reply = id === undefined ? undefined : this.#pending.get(id);
    if (!reply) return this.sdk.send(message, options);
    if (isResponse) {
      this.#pending.delete(id!);
      reply(message);
    } else if ('id' in message && 'method' in message) {
      // A request to the client made while answering (none of ours do today) still reaches it,
      // on the session's GET stream.
      await this.sdk.send(message);
    }
    // A notification tied to a request answered as JSON has no stream to travel on; as in the
    // SDK's JSON mode, it is dropped. Requests that asked for progress never come this way.
  }

  // Runs one request through the session's server and resolves with its response.
  answer(request: JSONRPCRequest, extra: MessageExtraInfo): Promise<JSONRPCMessage> {
    return new Promise((resolve) => {
      this.#pending.set(request.id, resolve);
      this.onmessage?.(request, extra);
    });
  }

  async close(): Promise<void> {
    await this.sdk.close();
  }

  #failPending(message: string): void {
    for (const [id, reply] of this.#pending)
      reply({ jsonrpc: '2.0', id, error: { code: -32000, message } } as JSONRPCMessage);
    this.#pending.clear();
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
