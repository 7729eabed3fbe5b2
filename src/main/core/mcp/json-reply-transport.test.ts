import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ListToolsRequestSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it, vi } from 'vitest';
import { JsonReplyTransport } from './json-reply-transport';

async function opened(deadlineMs?: number) {
  const sdk = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  const transport = new JsonReplyTransport(sdk, deadlineMs === undefined ? undefined : () => deadlineMs);
  const received: JSONRPCMessage[] = [];
  transport.onmessage = (m) => received.push(m);
  await transport.start();
  const sdkSend = vi.spyOn(sdk, 'send').mockResolvedValue(undefined);
  const closeStream = vi.spyOn(sdk, 'closeSSEStream').mockReturnValue(undefined);
  return { transport, sdk, received, sdkSend, closeStream };
}

// A real SDK server on the transport, whose tools/list returns only when it is aborted.
async function hanging(deadlineMs?: number) {
  const sdk = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  const transport = new JsonReplyTransport(sdk, deadlineMs === undefined ? undefined : () => deadlineMs);
  const server = new Server({ name: 'hang', version: '1' }, { capabilities: { tools: {} } });
  const aborted: unknown[] = [];
  server.setRequestHandler(
    ListToolsRequestSchema,
    (_request, extra) =>
      new Promise((_resolve, reject) => {
        const stop = () => {
          aborted.push(extra.signal.reason);
          reject(new Error('aborted'));
        };
        // A cancellation may arrive before the handler starts.
        if (extra.signal.aborted) stop();
        else extra.signal.addEventListener('abort', stop);
      }),
  );
  await server.connect(transport);
  // Whatever the server still sends would reach the SDK: none is expected.
  const sdkSend = vi.spyOn(sdk, 'send').mockResolvedValue(undefined);
  return { transport, sdk, aborted, sdkSend };
}

describe('JSON replies beside the SDK transport', () => {
  it('hands the request to the server and resolves with its response; the SDK sees neither', async () => {
    const { transport, received, sdkSend } = await opened();
    expect(transport.claim([7]).conflict).toBeUndefined();
    const answer = transport.answer({ jsonrpc: '2.0', id: 7, method: 'tools/list' }, {});
    expect(received).toEqual([{ jsonrpc: '2.0', id: 7, method: 'tools/list' }]);
    // A notification tied to it has no stream of its own: it goes to the session's GET stream
    // (the SDK's standalone stream), not tied to the request.
    await transport.send(
      { jsonrpc: '2.0', method: 'notifications/message', params: {} },
      { relatedRequestId: 7 },
    );
    expect(sdkSend).toHaveBeenCalledWith({ jsonrpc: '2.0', method: 'notifications/message', params: {} });
    sdkSend.mockClear();
    await transport.send({ jsonrpc: '2.0', id: 7, result: { tools: [] } });
    expect(await answer).toEqual({ jsonrpc: '2.0', id: 7, result: { tools: [] } });
    expect(sdkSend).not.toHaveBeenCalled();
    expect(transport.inFlight).toBe(0);
  });

  it('passes everything else to the SDK, a request made while answering included', async () => {
    const { transport, sdkSend } = await opened();
    transport.claim([1]);
    void transport.answer({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x' } }, {});
    // Id 2 came through the SDK (a request that asked for progress).
    transport.claim([2]);
    await transport.send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    await transport.send({ jsonrpc: '2.0', id: 2, result: {} });
    await transport.send({ jsonrpc: '2.0', id: 'srv-1', method: 'ping' }, { relatedRequestId: 1 });
    expect(sdkSend.mock.calls.map(([m]) => m)).toEqual([
      { jsonrpc: '2.0', method: 'notifications/tools/list_changed' },
      { jsonrpc: '2.0', id: 2, result: {} },
      { jsonrpc: '2.0', id: 'srv-1', method: 'ping' },
    ]);
  });

  it('answers what is still pending with an error when the session closes', async () => {
    const { transport } = await opened();
    let closed = false;
    transport.onclose = () => (closed = true);
    transport.claim([3]);
    const answer = transport.answer({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, {});
    await transport.close();
    expect(await answer).toEqual({
      jsonrpc: '2.0',
      id: 3,
      error: { code: -32000, message: 'the session was closed' },
    });
    expect(closed).toBe(true);
  });
});

describe('requests in flight on a session', () => {
  it('refuses an id in flight, or twice in one batch, and frees it once answered', async () => {
    const { transport } = await opened();
    expect(transport.claim([1, 2]).conflict).toBeUndefined();
    expect(transport.claim([2]).conflict).toBe(2);
    expect(transport.claim([5, 'a', 5]).conflict).toBe(5);
    expect(transport.inFlight).toBe(2);
    transport.claim([9]);
    const answer = transport.answer({ jsonrpc: '2.0', id: 9, method: 'ping' }, {});
    expect(transport.claim([9]).conflict).toBe(9);
    await transport.send({ jsonrpc: '2.0', id: 9, result: {} });
    await answer;
    expect(transport.claim([9]).conflict).toBeUndefined();
  });

  it('frees the ids of a POST the SDK refused before its server saw them', async () => {
    const { transport } = await opened();
    const claim = transport.claim([4]);
    claim.settle();
    expect(transport.inFlight).toBe(0);
  });

  it('keeps a request that reached the server without a claim, so its answer still goes out', async () => {
    const { transport, sdk, sdkSend } = await opened();
    sdk.onmessage!({ jsonrpc: '2.0', id: 'unclaimed', method: 'ping' });
    expect(transport.claim(['unclaimed']).conflict).toBe('unclaimed');
    await transport.send({ jsonrpc: '2.0', id: 'unclaimed', result: {} });
    expect(sdkSend).toHaveBeenCalledWith({ jsonrpc: '2.0', id: 'unclaimed', result: {} }, undefined);
    expect(transport.inFlight).toBe(0);
  });

  it('a cancelled JSON request: its handler stops, no response, and its POST is released', async () => {
    const { transport, sdk, aborted, sdkSend } = await hanging();
    transport.claim([11]);
    const answer = transport.answer({ jsonrpc: '2.0', id: 11, method: 'tools/list' }, {});
    sdk.onmessage!({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: 11, reason: 'user' },
    });
    expect(await answer).toBeUndefined();
    await vi.waitFor(() => expect(aborted).toEqual(['user']));
    expect(transport.inFlight).toBe(0);
    expect(sdkSend).not.toHaveBeenCalled();
  });

  it('a client that hangs up cancels its requests', async () => {
    const { transport, aborted } = await hanging();
    const claim = transport.claim([12]);
    const answer = transport.answer({ jsonrpc: '2.0', id: 12, method: 'tools/list' }, {});
    claim.cancel('the client closed the connection');
    expect(await answer).toBeUndefined();
    await vi.waitFor(() => expect(aborted).toEqual(['the client closed the connection']));
  });

  it('a cancelled request on an SSE stream: the stream is closed once the rest of its batch is answered', async () => {
    const { transport, sdk, sdkSend, closeStream } = await opened();
    transport.claim([21, 22]);
    sdk.onmessage!({ jsonrpc: '2.0', id: 21, method: 'tools/list' });
    sdk.onmessage!({ jsonrpc: '2.0', id: 22, method: 'ping' });
    sdk.onmessage!({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 21 } });
    expect(closeStream).not.toHaveBeenCalled();
    // The id stays taken until its stream is closed.
    expect(transport.claim([21]).conflict).toBe(21);
    await transport.send({ jsonrpc: '2.0', id: 22, result: {} });
    expect(sdkSend).toHaveBeenCalledWith({ jsonrpc: '2.0', id: 22, result: {} }, undefined);
    expect(closeStream).toHaveBeenCalledWith(21);
    expect(transport.inFlight).toBe(0);
    // What the cancelled handler might still send is dropped.
    await transport.send({ jsonrpc: '2.0', id: 21, result: {} });
    expect(sdkSend).toHaveBeenCalledTimes(1);
  });

  it('answers a request its server never answers with an error at the deadline, and stops the handler', async () => {
    const { transport, aborted, sdkSend } = await hanging(50);
    transport.claim([31]);
    const answer = await transport.answer({ jsonrpc: '2.0', id: 31, method: 'tools/list' }, {});
    expect(answer).toEqual({
      jsonrpc: '2.0',
      id: 31,
      error: {
        code: -32001,
        message:
          'Request timed out: no answer within 0.1 s (callTimeoutMs in gateway.json); it was cancelled',
      },
    });
    await vi.waitFor(() => expect(aborted).toEqual(['deadline']));
    expect(transport.inFlight).toBe(0);
    expect(sdkSend).not.toHaveBeenCalled();
  });

  it('restarts the deadline with each notification about the request (progress)', async () => {
    vi.useFakeTimers();
    try {
      const { transport, sdk, sdkSend } = await opened(200);
      transport.claim([41]);
      sdk.onmessage!({ jsonrpc: '2.0', id: 41, method: 'tools/call', params: { name: 'slow' } });
      const progress = (n: number) =>
        transport.send(
          { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: n } },
          { relatedRequestId: 41 },
        );
      // Progress every 150 ms for 600 ms: longer than one deadline, and the request stays.
      for (let n = 1; n <= 4; n++) {
        await vi.advanceTimersByTimeAsync(150);
        await progress(n);
      }
      expect(transport.inFlight).toBe(1);
      expect(sdkSend.mock.calls.every(([m]) => 'method' in m)).toBe(true);
      // Then silence past the deadline: answered with the timeout error, on its stream.
      await vi.advanceTimersByTimeAsync(201);
      expect(sdkSend).toHaveBeenLastCalledWith(
        expect.objectContaining({ id: 41, error: expect.objectContaining({ code: -32001 }) }),
        undefined,
      );
      expect(transport.inFlight).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('holds the deadline while a call waits for a person, and starts it afresh after', async () => {
    vi.useFakeTimers();
    try {
      const { transport, sdk, sdkSend } = await opened(200);
      transport.claim([51]);
      sdk.onmessage!({ jsonrpc: '2.0', id: 51, method: 'tools/call', params: { name: 'held' } });
      const release = transport.holdDeadline(51);
      await vi.advanceTimersByTimeAsync(5000);
      expect(transport.inFlight).toBe(1);
      expect(sdkSend).not.toHaveBeenCalled();
      release();
      release();
      await vi.advanceTimersByTimeAsync(199);
      expect(transport.inFlight).toBe(1);
      await vi.advanceTimersByTimeAsync(2);
      expect(sdkSend).toHaveBeenLastCalledWith(
        expect.objectContaining({ id: 51, error: expect.objectContaining({ code: -32001 }) }),
        undefined,
      );
      // An id not in flight holds nothing.
      transport.holdDeadline(99)();
    } finally {
      vi.useRealTimers();
    }
  });
});
