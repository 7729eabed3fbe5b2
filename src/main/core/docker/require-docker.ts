import type Docker from 'dockerode';
import { EngineUnavailableError } from '../errors';
import type { EngineMonitor } from './engine-monitor';

// The engine's client for an operation that cannot do without it: otherwise a clear error that
// says why (still connecting, or what the last check found).
export function requireDocker(engine: EngineMonitor): Docker {
  const connection = engine.connection();
  if (!connection) {
    const status = engine.status();
    throw new EngineUnavailableError(status.state === 'unreachable' ? status.reason : 'still connecting');
  }
  return connection.docker;
}
