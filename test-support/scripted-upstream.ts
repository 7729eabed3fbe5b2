import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ServerView } from '../src/shared/servers';
import type { ContainerManager } from '../src/main/core/servers';

type Params = Record<string, unknown>;
export type Rpc = {
  id?: number | string;
  method?: string;
  params?: Params;
  result?: Params;
  error?: unknown;
};

// What a scripted server answers to one request: a result, or a JSON-RPC error. A handler that
// throws makes the transport's send fail with that error (a broken stream).
export type ScriptedHandler = (
  params: Params | undefined,
  upstream: ScriptedUpstream,
) => Params | { error: { code: number; message: string; data?: unknown } };

// An MCP server played by a script, behind a Transport as `containers.openTransport` returns one:
// it answers initialize and the methods it is given, notes every message it was sent, and can
// speak first (notifications, its own requests). For tests of the gateway without Docker.
export class ScriptedUpstream implements Transport {
  onclose?: () => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly received: Rpc[] = [];
  #nextId = 0;
  readonly #waiting = new Map<number | string, (message: Rpc) => void>();

  constructor(
    readonly handlers: Record<string, ScriptedHandler>,
    readonly capabilities: Params = { tools: { listChanged: true } },
    readonly instructions?: string,
  ) {}

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.onclose?.();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const rpc = message as Rpc;
    this.received.push(rpc);
    if (rpc.method === undefined && rpc.id !== undefined) {
      this.#waiting.get(rpc.id)?.(rpc);
      this.#waiting.delete(rpc.id);
      return;
    }
    if (rpc.id === undefined || !rpc.method) return;
    const handler: ScriptedHandler | undefined =
      rpc.method === 'initialize'
        ? () => ({
            protocolVersion: '2025-11-25',
            capabilities: this.capabilities,
            serverInfo: { name: 'scripted', version: '1' },
            ...(this.instructions ? { instructions: this.instructions } : {}),
          })
        : this.handlers[rpc.method];
    const answer = handler
      ? handler(rpc.params, this)
      : { error: { code: -32601, message: `Method not found: ${rpc.method}` } };
    const reply = 'error' in answer && Object.keys(answer).length === 1 ? answer : { result: answer };
    queueMicrotask(() => this.onmessage?.({ jsonrpc: '2.0', id: rpc.id!, ...reply } as JSONRPCMessage));
  }

  notify(method: string, params?: Params): void {
    this.onmessage?.({ jsonrpc: '2.0', method, ...(params ? { params } : {}) } as JSONRPCMessage);
  }

  // A request from the server to its client; resolves with the client's answer message.
  request(method: string, params?: Params): Promise<Rpc> {
    const id = `s${this.#nextId++}`;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.onmessage?.({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) } as JSONRPCMessage);
    });
  }
}

// A ContainerManager with one running exec-mode server whose every session is a new scripted
// upstream from `make` (the gateway's catalog session is the first). `opened` lists them in order.
export function scriptedContainers(
  server: string,
  make: () => ScriptedUpstream,
): { containers: ContainerManager; opened: ScriptedUpstream[] } {
  const opened: ScriptedUpstream[] = [];
  const view = {
    spec: { name: server, mode: 'exec' },
    health: { status: 'ready' },
    container: { state: 'running' },
  } as unknown as ServerView;
  const containers = {
    list: () => [view],
    containerId: () => 'c1',
    onChanged: () => () => undefined,
    openTransport: async () => {
      const upstream = make();
      opened.push(upstream);
      return upstream;
    },
  } as unknown as ContainerManager;
  return { containers, opened };
}
