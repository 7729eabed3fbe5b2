import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it, vi } from 'vitest';
import { JsonReplyTransport } from './json-reply-transport';

async function opened() {
  const sdk = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  const transport = new JsonReplyTransport(sdk);
  const received: JSONRPCMessage[] = [];
  transport.onmessage = (m) => received.push(m);
  await transport.start();
  const sdkSend = vi.spyOn(sdk, 'send').mockResolvedValue(undefined);
  return { transport, received, sdkSend };
}

describe('JSON replies beside the SDK transport', () => {
  it('hands the request to the server and resolves with its response; the SDK sees neither', async () => {
    const { transport, received, sdkSend } = await opened();
    const answer = transport.answer({ jsonrpc: '2.0', id: 7, method: 'tools/list' }, {});
    expect(received).toEqual([{ jsonrpc: '2.0', id: 7, method: 'tools/list' }]);
    // A notification tied to it has no stream: dropped, as in the SDK's JSON mode.
    await transport.send(
      { jsonrpc: '2.0', method: 'notifications/message', params: {} },
      { relatedRequestId: 7 },
    );
    await transport.send({ jsonrpc: '2.0', id: 7, result: { tools: [] } });
    expect(await answer).toEqual({ jsonrpc: '2.0', id: 7, result: { tools: [] } });
    expect(sdkSend).not.toHaveBeenCalled();
  });

  it('passes everything else to the SDK, a request made while answering included', async () => {
    const { transport, sdkSend } = await opened();
    void transport.answer({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x' } }, {});
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
