import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RemoteError, UntrustedSenderError } from '../../shared/contract-errors';
import { BodyTooLargeError } from '../core/http/read-body';
import { ClientMetadataError } from '../core/oauth/oauth-errors';
import { UsageError } from '../core/errors';
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

  // Only USAGE has its own exit status; every other code, the newest included, is a failure.
  it('prints a DockError bare and exits 2 for USAGE only', () => {
    const err: string[] = [];
    const io: CliIo = {
      out: () => undefined,
      err: (l) => err.push(l),
      signal: new AbortController().signal,
      env: {},
    };
    expect(handleError(new UsageError('pii needs a subcommand'), io)).toBe(2);
    expect(handleError(new RemoteError({ code: 'USAGE', message: 'from core' }), io)).toBe(2);
    expect(handleError(new UntrustedSenderError(), io)).toBe(1);
    expect(handleError(new BodyTooLargeError(10), io)).toBe(1);
    expect(handleError(new ClientMetadataError('the client_id URL must have a path'), io)).toBe(1);
    expect(err).toEqual([
      'mcp-dock: pii needs a subcommand',
      'mcp-dock: from core',
      'mcp-dock: calls are accepted only from the MCP Dock window',
      'mcp-dock: the request body exceeds 10 bytes',
      'mcp-dock: the client_id URL must have a path',
    ]);
  });
});
