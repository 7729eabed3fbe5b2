import { Duplex } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it, vi } from 'vitest';
import { DockerStdioTransport } from './docker-stdio-transport';

const frame = (type: number, text: string | Buffer) => {
  const payload = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

// The engine's side of an attach stream: what the transport writes is kept, what the test
// pushes arrives framed, as the engine would send it.
function engineStream() {
  const written: string[] = [];
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, written };
}

async function open() {
  const engine = engineStream();
  const dispose = vi.fn(async () => undefined);
  const stderr: string[] = [];
  const transport = new DockerStdioTransport(
    async () => ({ stream: engine.stream, dispose }),
    (text) => stderr.push(text),
  );
  const messages: JSONRPCMessage[] = [];
  const errors: Error[] = [];
  const closed = vi.fn();
  transport.onmessage = (m) => messages.push(m);
  transport.onerror = (e) => errors.push(e);
  transport.onclose = closed;
  await transport.start();
  return { ...engine, transport, dispose, stderr, messages, errors, closed };
}

const ping: JSONRPCMessage = { jsonrpc: '2.0', id: 1, method: 'ping' };

describe('Docker stdio transport', () => {
  it('writes one JSON-RPC message per line and reads framed stdout back as messages', async () => {
    const t = await open();
    await t.transport.send(ping);
    expect(t.written).toEqual([`${JSON.stringify(ping)}\n`]);
    const reply = JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} });
    // A message cut across two frames, with the server's stderr between them.
    t.stream.push(frame(1, reply.slice(0, 10)));
    t.stream.push(frame(2, 'starting up\n'));
    t.stream.push(frame(1, `${reply.slice(10)}\n`));
    await vi.waitFor(() => expect(t.messages).toEqual([{ jsonrpc: '2.0', id: 1, result: {} }]));
    expect(t.stderr).toEqual(['starting up\n']);
    expect(t.errors).toEqual([]);
  });

  it('reports a stray stdout line without closing', async () => {
    const t = await open();
    t.stream.push(frame(1, 'not json\n{"jsonrpc":"2.0","method":"x"}\n'));
    await vi.waitFor(() => expect(t.messages).toEqual([{ jsonrpc: '2.0', method: 'x' }]));
    expect(t.errors).toHaveLength(1);
    expect(t.closed).not.toHaveBeenCalled();
  });

  it('closes on a stream it cannot read, with a DockError, and refuses to send after', async () => {
    const t = await open();
    t.stream.push(Buffer.from('HTTP/1.1 500 oops\r\n'));
    await vi.waitFor(() => expect(t.closed).toHaveBeenCalledOnce());
    expect(t.errors[0]).toMatchObject({
      code: 'CONTAINER_FAILED',
      message: expect.stringMatching(/^the Docker engine's stream is unreadable: unexpected frame header/),
    });
    expect(t.dispose).toHaveBeenCalledOnce();
    await expect(t.transport.send(ping)).rejects.toMatchObject({
      code: 'CONTAINER_FAILED',
      message: 'the container session is closed',
    });
  });

  it('ends stdin and disposes of the session once, however often it is closed', async () => {
    const t = await open();
    await Promise.all([t.transport.close(), t.transport.close()]);
    t.stream.emit('close');
    expect(t.dispose).toHaveBeenCalledOnce();
    expect(t.closed).toHaveBeenCalledOnce();
  });
});
