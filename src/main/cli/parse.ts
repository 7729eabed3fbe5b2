import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
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
  if (!parsed.success) throw new UsageError(`${formatFlagIssues(parsed.error)}\n${usage}`);
  return parsed.data;
}

// The user typed flags, not a JSON path: each problem is said against the flag it is about.
export function formatFlagIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const flag = typeof issue.path[0] === 'string' ? `--${issue.path[0]}` : undefined;
      return flag && !issue.message.startsWith(flag) ? `${flag}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
