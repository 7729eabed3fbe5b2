import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  UpstreamCancelledError,
  UpstreamClosedError,
  UpstreamRpcError,
  UpstreamTimeoutError,
} from './gateway-errors';
import { UpstreamSession, type UpstreamNotification, type UpstreamProgress } from './upstream-session';

// A transport the test speaks for the server: what the session sent is kept, and `deliver` hands
// it messages in one synchronous batch, as DockerStdioTransport does for one read of stdout.
class StubTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly sent: Record<string, unknown>[] = [];
  protocolVersion: string | undefined;
  #sentListeners: (() => void)[] = [];

  async start(): Promise<void> {}
  async send(message: JSONRPCMessage): Promise<void> {
    this.sent.push(message as Record<string, unknown>);
    this.#sentListeners.splice(0).forEach((l) => l());
  }
  async close(): Promise<void> {
    this.onclose?.();
  }
  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }
  deliver(...messages: unknown[]): void {
    for (const m of messages) this.onmessage?.(m as JSONRPCMessage);
  }
  lastRequest(method: string): { id: number; params?: Record<string, unknown> } {
    const found = this.sent.filter((m) => m.method === method && m.id !== undefined).at(-1);
    if (!found) throw new Error(`no ${method} sent`);
    return found as { id: number; params?: Record<string, unknown> };
  }
}

function open(onNotification?: (n: UpstreamNotification) => void, onClose?: () => void) {
  const transport = new StubTransport();
  const session = new UpstreamSession({
    transport,
    ...(onNotification ? { onNotification } : {}),
    ...(onClose ? { onClose } : {}),
  });
  return { transport, session };
}

afterEach(() => vi.useRealTimers());

describe('UpstreamSession', () => {
  it('initializes: sends initialize, returns the result as sent, then notifications/initialized', async () => {
    const { transport, session } = open();
    const params = {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'g', version: '1' },
    };
    const done = session.initialize(params);
    const init = transport.lastRequest('initialize');
    expect(init.params).toEqual(params);
    const result = {
      protocolVersion: '2025-11-25',
      capabilities: { tools: {} },
      serverInfo: { name: 's', version: '2' },
      instructions: 'read me',
    };
    transport.deliver({ jsonrpc: '2.0', id: init.id, result });
    expect(await done).toEqual(result);
    expect(transport.protocolVersion).toBe('2025-11-25');
    expect(transport.sent.at(-1)).toEqual({ jsonrpc: '2.0', method: 'notifications/initialized' });
  });

  it('delivers the last progress when it arrives in the same read as the result, every time', async () => {
    const { transport, session } = open();
    for (let run = 0; run < 200; run++) {
      const progress: number[] = [];
      const call = session.forward(
        'tools/call',
        { name: 'slow', arguments: {} },
        { onProgress: (p: UpstreamProgress) => progress.push(p.progress) },
      );
      const { id, params } = transport.lastRequest('tools/call');
      const token = (params?._meta as { progressToken: number }).progressToken;
      transport.deliver(
        {
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: { progressToken: token, progress: 1, total: 2 },
        },
        {
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: { progressToken: token, progress: 2, total: 2 },
        },
        { jsonrpc: '2.0', id, result: { content: [] } },
      );
      // Both progress notifications are in before the caller even sees the result.
      expect(progress).toEqual([1, 2]);
      await expect(call).resolves.toEqual({ content: [] });
    }
  });

  it('sends params verbatim: _meta is kept, only the progress token is its own', async () => {
    const { transport, session } = open();
    const params = { name: 't', arguments: { a: [1, { b: null }] }, _meta: { traceId: 'abc', 'x.io/k': 1 } };
    void session.forward('tools/call', params);
    expect(transport.lastRequest('tools/call').params).toEqual(params);

    void session.forward('tools/call', params, { onProgress: () => undefined });
    const { id, params: sent } = transport.lastRequest('tools/call');
    expect(sent).toEqual({ ...params, _meta: { traceId: 'abc', 'x.io/k': 1, progressToken: id } });
    // The caller's params are not changed in place.
    expect(params._meta).toEqual({ traceId: 'abc', 'x.io/k': 1 });
  });

  it('returns results as sent, with no schema parse', async () => {
    const { transport, session } = open();
    const call = session.forward('tools/call', { name: 't' });
    const odd = { task: { taskId: 'x' }, content: 'not an array', _meta: { k: 1 } };
    transport.deliver({ jsonrpc: '2.0', id: transport.lastRequest('tools/call').id, result: odd });
    expect(await call).toEqual(odd);
  });

  it('rejects with the upstream JSON-RPC error as it was sent', async () => {
    const { transport, session } = open();
    const call = session.forward('tools/call', { name: 't' });
    const error = { code: -32602, message: 'MCP error -32602: Unknown tool', data: { why: 1 } };
    transport.deliver({ jsonrpc: '2.0', id: transport.lastRequest('tools/call').id, error });
    const failure = await call.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UpstreamRpcError);
    expect((failure as UpstreamRpcError).rpc).toEqual(error);
    expect((failure as UpstreamRpcError).code).toBe('UPSTREAM_ERROR');
  });

  it('tells the upstream when the caller aborts, and rejects as cancelled', async () => {
    const { transport, session } = open();
    const controller = new AbortController();
    const call = session.forward('tools/call', { name: 't' }, { signal: controller.signal });
    const { id } = transport.lastRequest('tools/call');
    controller.abort('client went away');
    await expect(call).rejects.toBeInstanceOf(UpstreamCancelledError);
    expect(transport.sent.at(-1)).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: id, reason: 'client went away' },
    });
    // A late answer to the cancelled request is ignored.
    transport.deliver({ jsonrpc: '2.0', id, result: {} });
    await expect(session.forward('x', undefined, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      UpstreamCancelledError,
    );
  });

  it('times out, and each progress restarts the deadline when asked to', async () => {
    vi.useFakeTimers();
    const { transport, session } = open();
    const plain = session.forward('a', undefined, { timeoutMs: 1000 });
    const kept = session.forward('b', undefined, {
      timeoutMs: 1000,
      resetTimeoutOnProgress: true,
      onProgress: () => undefined,
    });
    const token = transport.lastRequest('b').id;
    const plainFailure = plain.catch((e: unknown) => e);
    vi.advanceTimersByTime(800);
    transport.deliver({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: token, progress: 1 },
    });
    vi.advanceTimersByTime(800);
    expect(await plainFailure).toBeInstanceOf(UpstreamTimeoutError);
    expect(transport.sent.some((m) => m.method === 'notifications/cancelled')).toBe(true);
    transport.deliver({ jsonrpc: '2.0', id: token, result: { ok: true } });
    await expect(kept).resolves.toEqual({ ok: true });
  });

  it('rejects what is in flight when the transport closes, and says so', async () => {
    const onClose = vi.fn();
    const { transport, session } = open(undefined, onClose);
    const call = session.forward('tools/call', { name: 't' });
    await transport.close();
    await expect(call).rejects.toBeInstanceOf(UpstreamClosedError);
    expect(onClose).toHaveBeenCalledTimes(1);
    await expect(session.forward('tools/list', undefined)).rejects.toBeInstanceOf(UpstreamClosedError);
  });

  it('hands other notifications on synchronously, in order; answers ping and refuses other requests', async () => {
    const seen: string[] = [];
    const { transport, session } = open((n) => seen.push(n.method));
    const call = session.forward('tools/call', { name: 't' });
    const { id } = transport.lastRequest('tools/call');
    transport.deliver(
      { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } },
      { jsonrpc: '2.0', method: 'notifications/tools/list_changed' },
      { jsonrpc: '2.0', id, result: {} },
      { jsonrpc: '2.0', id: 'p1', method: 'ping' },
      { jsonrpc: '2.0', id: 's1', method: 'sampling/createMessage', params: {} },
    );
    expect(seen).toEqual(['notifications/message', 'notifications/tools/list_changed']);
    await call;
    await vi.waitFor(() => expect(transport.sent.length).toBeGreaterThanOrEqual(3));
    expect(transport.sent).toContainEqual({ jsonrpc: '2.0', id: 'p1', result: {} });
    expect(transport.sent).toContainEqual({
      jsonrpc: '2.0',
      id: 's1',
      error: { code: -32601, message: 'Method not found' },
    });
  });

  it('hands a server’s request to its owner and answers with its result or its error, under the server’s id', async () => {
    const transport = new StubTransport();
    const asked: unknown[] = [];
    new UpstreamSession({
      transport,
      onRequest: async (request) => {
        asked.push([request.method, request.params]);
        if (request.method === 'roots/list') return { roots: [] };
        throw Object.assign(new Error('no'), { rpc: { code: -1, message: 'refused', data: 1 } });
      },
    });
    transport.deliver(
      { jsonrpc: '2.0', id: 'a', method: 'roots/list' },
      { jsonrpc: '2.0', id: 'b', method: 'sampling/createMessage', params: { maxTokens: 1 } },
      { jsonrpc: '2.0', id: 'c', method: 'ping' },
    );
    await vi.waitFor(() => expect(transport.sent).toHaveLength(3));
    expect(asked).toEqual([
      ['roots/list', undefined],
      ['sampling/createMessage', { maxTokens: 1 }],
    ]);
    expect(transport.sent).toEqual(
      expect.arrayContaining([
        { jsonrpc: '2.0', id: 'c', result: {} },
        { jsonrpc: '2.0', id: 'a', result: { roots: [] } },
        { jsonrpc: '2.0', id: 'b', error: { code: -1, message: 'refused', data: 1 } },
      ]),
    );
  });

  it('stops a request the server cancelled (no answer), and answers those still waiting when it closes', async () => {
    const transport = new StubTransport();
    const signals: AbortSignal[] = [];
    const session = new UpstreamSession({
      transport,
      onRequest: (request) => {
        signals.push(request.signal);
        return new Promise(() => undefined);
      },
    });
    transport.deliver(
      { jsonrpc: '2.0', id: 1, method: 'elicitation/create' },
      { jsonrpc: '2.0', id: 2, method: 'elicitation/create' },
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1, reason: 'late' } },
    );
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
    await session.close();
    expect(signals[1]!.aborted).toBe(true);
    // A server waiting for an answer would not exit at the end of its input.
    expect(transport.sent).toEqual([
      { jsonrpc: '2.0', id: 2, error: { code: -32000, message: 'Connection closed' } },
    ]);
  });
});
