import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { handleError } from './handle-error';
import type { CliIo } from './io';

describe('handleError', () => {
  it('says what was wrong with input core refused, without a "(root)" that names nothing', () => {
    const err: string[] = [];
    const io: CliIo = {
      out: () => undefined,
      err: (l) => err.push(l),
      signal: new AbortController().signal,
      env: {},
    };
    const root = z.string().regex(/^..+$/, 'use 2-64 letters').safeParse('x').error!;
    const field = z.object({ image: z.string() }).safeParse({}).error!;
    expect(handleError(root, io)).toBe(2);
    expect(handleError(field, io)).toBe(2);
    expect(err).toEqual([
      'mcp-dock: invalid input: use 2-64 letters',
      'mcp-dock: invalid input: image: Invalid input: expected string, received undefined',
    ]);
  });
});
