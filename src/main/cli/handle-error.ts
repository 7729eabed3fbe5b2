import { ZodError } from 'zod';
import { formatZodError } from '../../shared/errors';
import { DockError } from '../core/errors';
import type { CliIo } from './io';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

// The one place errors become messages and exit codes; it never exits itself.
export function handleError(error: unknown, io: CliIo): number {
  if (error instanceof DockError) {
    io.err(`mcp-dock: ${error.message}`);
    return error.code === 'USAGE' ? EXIT_USAGE : EXIT_FAILURE;
  }
  if (error instanceof ZodError) {
    // A value checked whole (a name, say) has an empty path, which "(root)" only obscures.
    io.err(`mcp-dock: invalid input: ${formatZodError(error).replace(/(^|; )\(root\): /g, '$1')}`);
    return EXIT_USAGE;
  }
  io.err(`mcp-dock: ${error instanceof Error ? error.message : String(error)}`);
  return EXIT_FAILURE;
}
