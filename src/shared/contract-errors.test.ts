import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CallInputError,
  CallResultError,
  ContractDefectError,
  MalformedReplyError,
  RemoteError,
  UnexpectedInputError,
  UnknownCallError,
  UntrustedSenderError,
} from './contract-errors';
import { DockError, isDockError } from './errors';

const zodError = z.object({ n: z.number() }).safeParse({ n: 'x' }).error!;

describe('contract errors', () => {
  it.each([
    [new CallInputError('math.add', zodError), 'INVALID_INPUT', /^math\.add: n: /],
    [new UnexpectedInputError('math.zero'), 'INVALID_INPUT', /^math\.zero takes no input$/],
    [new MalformedReplyError('math.add'), 'INVALID_OUTPUT', /^math\.add: malformed reply from core$/],
    [new CallResultError('math.add', zodError, 'core'), 'INVALID_OUTPUT', /^math\.add produced an invalid/],
    [new CallResultError('math.add', zodError, 'caller'), 'INVALID_OUTPUT', /^math\.add returned an invalid/],
    [new UnknownCallError('mcp-dock:x.y'), 'UNKNOWN_CALL', /^no call named mcp-dock:x\.y$/],
    [new UntrustedSenderError(), 'UNTRUSTED_SENDER', /^calls are accepted only from the MCP Dock window$/],
    [new ContractDefectError('implementation lacks a.b'), 'INTERNAL', /^implementation lacks a\.b$/],
  ])('%s carries its code and says what failed', (error, code, message) => {
    expect(isDockError(error)).toBe(true);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.name).toBe(error.constructor.name);
  });

  it('rebuilds the error core answered with, code and message as they crossed', () => {
    const error = new RemoteError({ code: 'SERVER_NOT_FOUND', message: 'No server named "x".' });
    expect(error).toBeInstanceOf(DockError);
    expect(error.toPayload()).toEqual({ code: 'SERVER_NOT_FOUND', message: 'No server named "x".' });
  });
});
