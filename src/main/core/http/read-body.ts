import type { IncomingMessage } from 'node:http';
import { DockError } from '../../../shared/errors';

// Routes answer it with their own 413 (OAuth's error JSON, JSON-RPC's); the code is for the rest.
export class BodyTooLargeError extends DockError {
  constructor(readonly limit: number) {
    super('PAYLOAD_TOO_LARGE', `the request body exceeds ${limit} bytes`);
  }
}

// Reads a request body up to `limit` bytes; beyond that it stops reading and fails, so an
// oversized request costs no more memory than the limit.
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
