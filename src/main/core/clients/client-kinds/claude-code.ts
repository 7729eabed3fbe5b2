import type { StdioLaunch } from '../../../../shared/snippets';
import type { ClientKind } from './client-kind';

// Claude Code: set up with `claude mcp add` (stdio: `--transport stdio NAME -e K=V -- cmd args`,
// remote: `--transport http NAME URL`, signing in with OAuth through /mcp). Its user-scope list
// lives in ~/.claude.json, which Claude Code rewrites itself, so MCP Dock prints the command.
// Format: https://docs.anthropic.com/en/docs/claude-code/mcp

// POSIX shell quoting: bare when safe, single quotes otherwise.
export function shellQuote(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

// `claude mcp add` for a stdio launch.
export function claudeCodeAddStdio(name: string, launch: StdioLaunch): string {
  const envFlags = Object.entries(launch.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const words = ['claude', 'mcp', 'add', '--transport', 'stdio', name, ...envFlags, '--'];
  return `${[...words, launch.command, ...launch.args].map(shellQuote).join(' ')}\n`;
}

export const claudeCode: ClientKind = {
  id: 'claude-code',
  format: 'shell',
  configPath: () => undefined,
  noFile:
    'Claude Code keeps its own server list: run the `claude mcp add ...` command from the snippet instead.',
  stdio: (_name, launch) => launch,
  url: (_name, url) => ({ url }),
  text: (name, form, entry) =>
    form === 'url'
      ? `${['claude', 'mcp', 'add', '--transport', 'http', name, entry.url ?? ''].map(shellQuote).join(' ')}\n`
      : claudeCodeAddStdio(name, entry.launch!),
};
