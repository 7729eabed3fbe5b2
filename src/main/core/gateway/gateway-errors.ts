import { DockError } from '../../../shared/errors';

// A call for a server the pool has no live session with: not running, still connecting, or down
// (with the reason it went down). The gateway names the server in front of this message.
export class UpstreamUnavailableError extends DockError {
  constructor(server: string, upstream?: { state: string; reason?: string | undefined }) {
    super(
      'CONTAINER_FAILED',
      upstream
        ? `the server "${server}" is ${upstream.state}${upstream.reason ? `: ${upstream.reason}` : ''}`
        : `no running server "${server}"`,
    );
  }
}
