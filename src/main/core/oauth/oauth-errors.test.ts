import { describe, expect, it } from 'vitest';
import { isDockError } from '../../../shared/errors';
import {
  AudienceError,
  ClientExistsError,
  ClientMetadataError,
  NoScopeError,
  NotAJwtError,
  ScopeNotRegisteredError,
  UnknownClientError,
  UnknownGrantError,
  UnknownScopeError,
  UnknownTokenError,
} from './oauth-errors';
import { SCOPES_HELP } from './scopes';

describe('OAuth administration errors', () => {
  it.each([
    [new UnknownClientError('ci'), 'INVALID_INPUT', 'no client named "ci"'],
    [
      new UnknownClientError('ci', { listHint: true }),
      'INVALID_INPUT',
      'no client named "ci"; list them with `mcp-dock clients list`',
    ],
    [
      new ClientExistsError('ci'),
      'INVALID_INPUT',
      'a client named "ci" already exists; revoke it first or pick another name',
    ],
    [new NoScopeError('ci'), 'INVALID_INPUT', `name at least one scope for "ci"; supported: ${SCOPES_HELP}`],
    [new UnknownScopeError(['a', 'b']), 'INVALID_INPUT', 'unknown scope a b'],
    [new UnknownScopeError(['a'], 'x y'), 'INVALID_INPUT', 'unknown scope a; supported: x y'],
    [
      new ScopeNotRegisteredError('ci', ['mcp:admin'], new Set(['mcp.access', 'offline_access'])),
      'INVALID_INPUT',
      'client "ci" is not registered for mcp:admin; it may have mcp.access offline_access',
    ],
    [
      new AudienceError(['https://a/', 'https://b/']),
      'INVALID_INPUT',
      'the audience must be one of https://a/, https://b/',
    ],
    [new UnknownTokenError(), 'INVALID_INPUT', 'no such token (it may have expired)'],
    [new UnknownGrantError(), 'INVALID_INPUT', 'no such grant'],
    [new NotAJwtError(), 'INVALID_INPUT', 'that is not a JWT (three base64url parts separated by dots)'],
    [
      new ClientMetadataError('the client_id URL must have a path'),
      'CLIENT_METADATA_INVALID',
      'the client_id URL must have a path',
    ],
  ])('%s has its code and message', (error, code, message) => {
    expect(isDockError(error)).toBe(true);
    expect(error.toPayload()).toEqual({ code, message });
  });
});
