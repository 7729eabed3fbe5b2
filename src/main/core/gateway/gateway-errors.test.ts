import { describe, expect, it } from 'vitest';
import { UpstreamUnavailableError } from './gateway-errors';

describe('UpstreamUnavailableError', () => {
  it.each([
    [undefined, 'no running server "time"'],
    [{ state: 'connecting' }, 'the server "time" is connecting'],
    [{ state: 'down', reason: 'the process exited' }, 'the server "time" is down: the process exited'],
  ])('says why the pool has no session (%j)', (upstream, message) => {
    expect(new UpstreamUnavailableError('time', upstream).toPayload()).toEqual({
      code: 'CONTAINER_FAILED',
      message,
    });
  });
});
