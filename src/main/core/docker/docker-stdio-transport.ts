import type { Duplex } from 'node:stream';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ContainerSessionClosedError, EngineStreamError } from '../errors';
import { createFrameReader } from './docker-frames';

// How long closing waits for its end of input to reach the engine before dropping the stream.
const HALF_CLOSE_WAIT_MS = 1000;

export interface DockerStdio {
  // Docker's multiplexed stream: stdin goes in raw, stdout and stderr come back framed.
  stream: Duplex;
  // Called once the transport is done with the session (remove a throwaway container...).
  dispose?: () => Promise<void>;
}

// The MCP SDK's stdio framing (one JSON-RPC message per line) over a Docker exec or attach
// stream, so the same SDK client that spawns `docker exec -i` can talk to a container directly
// through the engine API, with no docker CLI and no shell quoting.
export class DockerStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly #open: () => Promise<DockerStdio>;
  readonly #onStderr: ((text: string) => void) | undefined;
  readonly #readBuffer = new ReadBuffer();
  #session: DockerStdio | undefined;
  #closed = false;

  constructor(open: () => Promise<DockerStdio>, onStderr?: (text: string) => void) {
    this.#open = open;
    this.#onStderr = onStderr;
  }

  async start(): Promise<void> {
    const session = await this.#open();
    this.#session = session;
    const read = createFrameReader({
      stdout: (chunk) => this.#readStdout(chunk),
      stderr: (chunk) => this.#onStderr?.(chunk.toString('utf8')),
      invalid: (reason) => {
        this.onerror?.(new EngineStreamError(reason));
        void this.close();
      },
    });
    session.stream.on('data', read);
    session.stream.on('error', (error: Error) => this.onerror?.(error));
    session.stream.on('end', () => void this.close());
    session.stream.on('close', () => void this.close());
  }

  #readStdout(chunk: Buffer): void {
    this.#readBuffer.append(chunk);
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.#readBuffer.readMessage();
      } catch (error) {
        // A line that is not JSON-RPC (a stray log on stdout) is reported, not fatal.
        this.onerror?.(error as Error);
        continue;
      }
      if (!message) break;
      this.onmessage?.(message);
    }
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stream = this.#session?.stream;
    if (!stream || this.#closed) throw new ContainerSessionClosedError();
    await new Promise<void>((resolve, reject) => {
      stream.write(serializeMessage(message), (error) => (error ? reject(error) : resolve()));
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const session = this.#session;
    if (session) {
      // Ending stdin is how a stdio MCP server is told to exit. The engine closes the process's
      // stdin only when the half-close reaches it: a stream destroyed at once can leave the
      // process running in the container for good (an exec has no kill).
      await halfClose(session.stream);
      session.stream.destroy();
      await session.dispose?.().catch(() => undefined);
    }
    this.#readBuffer.clear();
    this.onclose?.();
  }
}

// Ends our side of the stream and waits (briefly) until the end has been written out.
async function halfClose(stream: Duplex): Promise<void> {
  if (stream.writableFinished || stream.destroyed) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, HALF_CLOSE_WAIT_MS);
    timer.unref();
    stream.end(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
