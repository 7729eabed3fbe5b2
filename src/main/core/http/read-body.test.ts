import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, readBody } from './read-body';

const request = (chunks: string[], headers: Record<string, string> = {}) =>
  Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), { headers }) as unknown as IncomingMessage;

describe('readBody', () => {
  it('reads a body up to the limit', async () => {
    expect((await readBody(request(['ab', 'cd']), 4)).toString()).toBe('abcd');
  });

  it.each([
    ['a declared length over the limit, before reading', request([], { 'content-length': '5' })],
    ['more bytes than the limit, while reading', request(['abc', 'de'])],
  ])('refuses %s with PAYLOAD_TOO_LARGE', async (_label, req) => {
    const error = await readBody(req, 4).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'the request body exceeds 4 bytes',
      limit: 4,
    });
  });
});
