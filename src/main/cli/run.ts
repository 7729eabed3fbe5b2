import { COMMAND_SUMMARIES, commands, isCommandName } from './commands/index';
import { EXIT_OK, EXIT_USAGE, handleError } from './handle-error';
import type { CliIo } from './io';
import { quietOidcRuntimeWarning } from './quiet-runtime-warning';

export function usage(): string {
  const width = Math.max(...Object.keys(COMMAND_SUMMARIES).map((n) => n.length));
  const lines = Object.entries(COMMAND_SUMMARIES).map(([name, text]) => `  ${name.padEnd(width)}  ${text}`);
  return [
    'Usage: mcp-dock <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `mcp-dock <command> --help` for its options.',
  ].join('\n');
}

export async function runCommand(name: string | undefined, argv: string[], io: CliIo): Promise<number> {
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (!isCommandName(name)) {
    io.err(`mcp-dock: unknown command "${name}"\n${usage()}`);
    return EXIT_USAGE;
  }
  try {
    quietOidcRuntimeWarning();
    const run = await commands[name]();
    return await run(argv, io);
  } catch (error) {
    return handleError(error, io);
  }
}
