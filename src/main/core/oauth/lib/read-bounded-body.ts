import type { IncomingMessage, ServerResponse } from 'node:http';

// How much of an oversized body is read and thrown away so the connection stays usable; past
// this the connection is closed instead.
const DRAIN_LIMIT = 4 * 1024 * 1024;

export type BoundedBody = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

// Reads a request body of at most `limit` bytes. An oversized one is answered at once (by
// `tooLarge`) without destroying the request: destroying it left a kept-alive connection that
// never answered again. The rest is drained so the next request on the connection is read
// cleanly; a body too large even to drain gets `Connection: close`.
export function readBoundedBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  tooLarge: (headers: Record<string, string>) => void,
): Promise<BoundedBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    if (declared > DRAIN_LIMIT) tooLarge({ connection: 'close' });
    else {
      req.resume();
      tooLarge({});
    }
    return Promise.resolve({ ok: false, reason: 'too-large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('aborted', onAbort);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      stop();
      tooLarge({});
      let drained = size;
      const drain = (more: Buffer) => {
        drained += more.length;
        if (drained > DRAIN_LIMIT) {
          req.off('data', drain);
          res.socket?.destroy();
        }
      };
      req.on('data', drain);
      resolve({ ok: false, reason: 'too-large' });
    };
    const onEnd = () => {
      stop();
      resolve({ ok: true, body: Buffer.concat(chunks) });
    };
    const onAbort = () => {
      stop();
      resolve({ ok: false, reason: 'aborted' });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('aborted', onAbort);
  });
}
