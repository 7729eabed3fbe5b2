import { connect, type Socket } from 'node:net';
import type { Caller } from './load';

// A minimal HTTP/1.1 keep-alive client for the OAuth endpoints: one socket, one request in
// flight, a fixed request and only as much parsing as finding the end of a response takes. It
// costs a fraction of fetch() per request, so the numbers are the server's, not the client's.
export class RawHttpCaller implements Caller {
  readonly #host: string;
  readonly #port: number;
  readonly #request: Buffer;
  readonly #expect: number;
  #socket: Socket | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  #waiting: { resolve: () => void; reject: (e: Error) => void } | undefined;
  #closeAfter = false;
  lastBody = '';

  constructor(host: string, port: number, request: string, expectStatus: number) {
    this.#host = host;
    this.#port = port;
    this.#request = Buffer.from(request);
    this.#expect = expectStatus;
  }

  #open(): Socket {
    const socket = connect({ host: this.#host, port: this.#port, noDelay: true });
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#tryParse();
    });
    const fail = (error: Error) => {
      // A socket replaced after `connection: close` may report its end later: not ours to handle.
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#buffer = Buffer.alloc(0);
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting?.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the server closed the connection')));
    return socket;
  }

  #tryParse(): void {
    const headerEnd = this.#buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const head = this.#buffer.subarray(0, headerEnd).toString('latin1');
    const status = Number(head.slice(9, 12));
    const lower = head.toLowerCase();
    const lengthMatch = /\r\ncontent-length: *(\d+)/.exec(lower);
    let end: number;
    if (lengthMatch) {
      end = headerEnd + 4 + Number(lengthMatch[1]);
      if (this.#buffer.length < end) return;
    } else if (lower.includes('\r\ntransfer-encoding: chunked')) {
      const last = this.#buffer.indexOf('\r\n0\r\n\r\n', headerEnd);
      if (last < 0) return;
      end = last + 7;
    } else {
      end = headerEnd + 4;
    }
    this.lastBody = this.#buffer.subarray(headerEnd + 4, end).toString('utf8');
    this.#closeAfter = lower.includes('\r\nconnection: close');
    this.#buffer = this.#buffer.subarray(end);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (!waiting) return;
    if (status === this.#expect) waiting.resolve();
    else waiting.reject(new Error(`HTTP ${status}: ${this.lastBody.slice(0, 200)}`));
  }

  call(): Promise<void> {
    if (!this.#socket || this.#closeAfter) {
      this.#socket?.destroy();
      this.#closeAfter = false;
      this.#socket = this.#open();
    }
    const socket = this.#socket;
    return new Promise<void>((resolve, reject) => {
      this.#waiting = { resolve, reject };
      socket.write(this.#request);
    });
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }
}
