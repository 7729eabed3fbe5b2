import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ServerSpec } from '../../../shared/servers';
import type { ClientId, Snippet, StdioLaunch } from '../../../shared/snippets';
import { dockerRunArgs, effectiveUser } from '../docker/container-config';
import { SecretsStayInDockError } from './client-errors';

export interface SnippetContext {
  // Set when the engine is not where the docker CLI looks by default (DOCKER_HOST, a setting):
  // the client's `docker` must talk to the same engine MCP Dock manages.
  dockerHost?: string | undefined;
  platform?: NodeJS.Platform;
  home?: string;
  env?: NodeJS.ProcessEnv;
  // run mode: who the session runs as and the instance label (ContainerManager.runIdentity).
  run?: { user: string; instance: string } | undefined;
}

// How a stdio client starts a session with the server: the guide's `docker exec -i` into the
// long-running container, or a fresh hardened `docker run -i --rm`. Secrets never appear here:
// they live in the container's environment, set by MCP Dock at start (and a run-mode server with
// secrets has no snippet of its own: only MCP Dock can start its sessions).
export function stdioLaunch(spec: ServerSpec, containerName: string, ctx: SnippetContext = {}): StdioLaunch {
  if (spec.mode === 'run' && spec.secrets.length > 0) throw new SecretsStayInDockError(spec.name);
  const args =
    spec.mode === 'exec'
      ? ['exec', '-i', containerName, ...spec.command]
      : dockerRunArgs(spec, ctx.run ?? { user: effectiveUser(spec, undefined) });
  const launch: StdioLaunch = { command: 'docker', args };
  if (ctx.dockerHost) launch.env = { DOCKER_HOST: ctx.dockerHost };
  return launch;
}

export function clientConfigPath(client: ClientId, ctx: SnippetContext = {}): string | undefined {
  const platform = ctx.platform ?? process.platform;
  const home = ctx.home ?? homedir();
  const env = ctx.env ?? process.env;
  const appData = env.APPDATA ?? join(home, 'AppData', 'Roaming');
  const userConfig =
    platform === 'darwin'
      ? join(home, 'Library', 'Application Support')
      : platform === 'win32'
        ? appData
        : (env.XDG_CONFIG_HOME ?? join(home, '.config'));
  switch (client) {
    case 'cursor':
      return join(home, '.cursor', 'mcp.json');
    case 'claude-desktop':
      return join(userConfig, 'Claude', 'claude_desktop_config.json');
    case 'vscode':
      return join(userConfig, 'Code', 'User', 'mcp.json');
    case 'windsurf':
      return join(home, '.codeium', 'windsurf', 'mcp_config.json');
    case 'claude-code':
      return undefined;
  }
}

// POSIX shell quoting: bare when safe, single quotes otherwise.
export function shellQuote(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

// `claude mcp add` for a stdio launch: Claude Code is set up with a command, not a file.
export function claudeCodeAddStdio(name: string, launch: StdioLaunch): string {
  const envFlags = Object.entries(launch.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const words = ['claude', 'mcp', 'add', '--transport', 'stdio', name, ...envFlags, '--'];
  return `${[...words, launch.command, ...launch.args].map(shellQuote).join(' ')}\n`;
}

function entryFor(launch: StdioLaunch): Record<string, unknown> {
  return { command: launch.command, args: launch.args, ...(launch.env ? { env: launch.env } : {}) };
}

export function buildSnippet(
  client: ClientId,
  spec: ServerSpec,
  containerName: string,
  ctx: SnippetContext = {},
): Snippet {
  const launch = stdioLaunch(spec, containerName, ctx);
  const entryName = spec.name;
  const configPath = clientConfigPath(client, ctx);
  const base = { client, server: spec.name, entryName, launch, ...(configPath ? { configPath } : {}) };
  switch (client) {
    case 'cursor': {
      const config = Buffer.from(JSON.stringify(entryFor(launch))).toString('base64');
      return {
        ...base,
        format: 'json',
        text: `${JSON.stringify({ mcpServers: { [entryName]: entryFor(launch) } }, null, 2)}\n`,
        deepLink: `cursor://anysphere.cursor-deeplink/mcp/install?name=${encodeURIComponent(entryName)}&config=${encodeURIComponent(config)}`,
      };
    }
    case 'claude-desktop':
    case 'windsurf':
      return {
        ...base,
        format: 'json',
        text: `${JSON.stringify({ mcpServers: { [entryName]: entryFor(launch) } }, null, 2)}\n`,
      };
    case 'vscode': {
      const entry = { type: 'stdio', ...entryFor(launch) };
      return {
        ...base,
        format: 'json',
        text: `${JSON.stringify({ servers: { [entryName]: entry } }, null, 2)}\n`,
        deepLink: `vscode:mcp/install?${encodeURIComponent(JSON.stringify({ name: entryName, ...entry }))}`,
      };
    }
    case 'claude-code':
      return { ...base, format: 'shell', text: claudeCodeAddStdio(entryName, launch) };
  }
}
