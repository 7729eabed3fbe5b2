import type { ServerSpec } from '../../../shared/servers';
import type { ClientId, Snippet, StdioLaunch } from '../../../shared/snippets';
import { dockerRunArgs, effectiveUser } from '../docker/container-config';
import { CLIENT_KINDS } from './client-kinds';
import { SecretsStayInDockError } from './client-errors';
import { buildEntrySnippet } from './entry-snippet';
import { clientPaths } from './lib/client-paths';
import type { SnippetContext } from './snippet-context';

export type { SnippetContext } from './snippet-context';
export { claudeCodeAddStdio, shellQuote } from './client-kinds';

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

// Where the client keeps its user-level config on this OS; undefined where there is no file MCP
// Dock may edit (Claude Code, JetBrains).
export function clientConfigPath(client: ClientId, ctx: SnippetContext = {}): string | undefined {
  return CLIENT_KINDS[client].configPath(clientPaths(ctx));
}

// One server on its own, for one client: the entry that launches it, in that client's format.
export function buildSnippet(
  client: ClientId,
  spec: ServerSpec,
  containerName: string,
  ctx: SnippetContext = {},
): Snippet {
  const launch = stdioLaunch(spec, containerName, ctx);
  const snippet = buildEntrySnippet(client, { name: spec.name, launch }, 'stdio', ctx);
  return {
    client,
    server: spec.name,
    entryName: snippet.entryName,
    format: snippet.format,
    text: snippet.text,
    launch,
    ...(snippet.configPath ? { configPath: snippet.configPath } : {}),
    ...(snippet.deepLink ? { deepLink: snippet.deepLink } : {}),
  };
}
