import { socketPathOf, type EngineEndpoint } from './engine-endpoints';

export interface EngineFailure {
  reason: string;
  hint: string;
}

// True of the running app, which watches the engine; a CLI command checks once and is done.
export const RECONNECTS = 'MCP Dock reconnects by itself.';

const START_HINT = `Start Docker Desktop (or \`sudo systemctl start docker\` on Linux), or point DOCKER_HOST at a running engine. ${RECONNECTS}`;

// An engine status's hint, for a one-shot command: no promise of a reconnect it will not make.
export function hintForCommand(hint: string): string {
  return `${hint.replace(RECONNECTS, '').trim()} Then run the command again.`;
}

// Turns what the socket or the engine said into a sentence for a person, with what to do next.
export function describeEngineFailure(endpoint: EngineEndpoint, error: unknown): EngineFailure {
  const where = socketPathOf(endpoint.url) ?? endpoint.url;
  const err = error as NodeJS.ErrnoException & { statusCode?: number; json?: { message?: string } };
  switch (err?.code) {
    case 'ENOENT':
      return { reason: `no engine socket at ${where}`, hint: START_HINT };
    case 'ECONNREFUSED':
      return { reason: `nothing is listening at ${where}`, hint: START_HINT };
    case 'EACCES':
    case 'EPERM':
      return {
        reason: `permission denied on ${where}`,
        hint: 'Add your user to the docker group (`sudo usermod -aG docker $USER`) and log in again, or use rootless Docker or Podman.',
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { reason: `cannot resolve the engine host in ${endpoint.url}`, hint: 'Check DOCKER_HOST.' };
    case 'ETIMEDOUT':
    case 'ENGINE_TIMEOUT':
      return { reason: `the engine at ${where} did not answer in time`, hint: START_HINT };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ENGINE_LOST':
      return { reason: `the connection to the engine at ${where} was lost`, hint: START_HINT };
    default:
      break;
  }
  if (typeof err?.statusCode === 'number') {
    const detail = err.json?.message ?? err.message;
    return { reason: `the engine at ${where} answered HTTP ${err.statusCode}: ${detail}`, hint: START_HINT };
  }
  return {
    reason: `cannot reach the engine at ${where}: ${err?.message ?? String(error)}`,
    hint: START_HINT,
  };
}

export function engineError(code: 'ENGINE_TIMEOUT' | 'ENGINE_LOST', message: string): NodeJS.ErrnoException {
  // Shaped like the socket errors dockerode raises (an errno-style `code` on a plain Error), so one
  // classifier (describeEngineFailure, toDockerError) reads ours and theirs alike; it becomes a
  // DockError there, never leaving the engine folder as it is.
  // eslint-disable-next-line no-restricted-syntax -- a NodeJS.ErrnoException on purpose, see above
  const error: NodeJS.ErrnoException = new Error(message);
  error.code = code;
  return error;
}
