import { DockError } from '../../../shared/errors';
import { ContainerOperationError, EngineUnavailableError, ImageMissingError } from '../errors';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EPIPE',
  'ECONNRESET',
  'EACCES',
  'ETIMEDOUT',
  'ENGINE_TIMEOUT',
  'ENGINE_LOST',
]);

export function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number })?.statusCode === 404;
}

// Docker answers with HTTP status codes and Go messages; callers get one DockError with what
// failed, why, and (through the code) what the UI can offer next.
export function toDockerError(operation: string, target: string, error: unknown, image?: string): DockError {
  if (error instanceof DockError) return error;
  const err = error as NodeJS.ErrnoException & { statusCode?: number; json?: { message?: string } };
  if ((err.code && CONNECTION_CODES.has(err.code)) || /socket hang up/i.test(err.message ?? '')) {
    return new EngineUnavailableError(
      err.code === 'EACCES' ? 'permission denied on the engine socket' : (err.message ?? 'connection failed'),
    );
  }
  const message = err.json?.message ?? err.message ?? String(error);
  if (image && err.statusCode === 404 && /image|No such image/i.test(message))
    return new ImageMissingError(image);
  return new ContainerOperationError(operation, target, message, { cause: error });
}
