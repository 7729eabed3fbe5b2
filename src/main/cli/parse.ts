import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import { formatZodError } from '../../shared/errors';
import { UsageError } from '../core/errors';

// parseArgs for the shape, zod for the meaning; both failures become one UsageError.
export function parseFlags<S extends z.ZodType>(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  schema: S,
  usage: string,
): z.output<S> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: argv, options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw new UsageError(`${formatZodError(parsed.error)}\n${usage}`);
  return parsed.data;
}
