import { z } from 'zod';
import {
  clashChoiceSchema,
  containerModeSchema,
  networkSchema,
  serverSpecSchema,
  type ServerView,
} from '../../../shared/servers';
import { formatZodError } from '../../../shared/errors';
import { UsageError } from '../../core/errors';
import { hintForCommand } from '../../core/docker/engine-errors';
import type { CliIo } from '../io';
import { requireEngine, withServers, type EngineFlags } from '../with-servers';
import { parseFlags } from '../parse';
import { addRemote, isRemoteAdd, REMOTE_HELP, REMOTE_USAGE, remoteRow, signIn } from '../remote-servers';
import { NotAContainerError } from '../../core/remotes/remote-errors';
import { sharedFlags } from '../shared-flags';

const USAGE = `Usage:
  mcp-dock servers add NAME --image IMAGE [--mode exec|run] [--network none|egress|bridge|host]
                            [--egress HOST[:PORT]]... [--env K=V]... [--secret K]...
                            [--user U] [--tmp-exec]
                            -- MCP_COMMAND [ARGS...]
${REMOTE_USAGE}
  mcp-dock servers list
  mcp-dock servers start NAME [--on-clash adopt|rename|replace]
  mcp-dock servers stop|restart|remove NAME
  mcp-dock servers logs NAME [--follow] [--tail N]

Every subcommand takes --data-dir D, --docker-host URL and --json.
--egress HOST[:PORT] (repeatable: host, host:port, *.suffix) puts the server on a network with no
route out, whose only way out is MCP Dock's allow-listing proxy (HTTP_PROXY/HTTPS_PROXY are set);
a host without a port allows 80 and 443. --network bridge or host opens the network fully.
--secret K stores the value of the environment variable K (encrypted) and injects it into the
container at start; it never appears in snippets or logs. --user U runs the server as U
(uid[:gid] or name[:group]; default: the image's non-root user, else 65534:65534). --tmp-exec
lets programs run from /tmp, which npx and uvx need (it is mounted noexec otherwise). Example:
  CONTEXT7_API_KEY=... mcp-dock servers add c7 --image node:20-slim \\
    --egress mcp.context7.com --egress registry.npmjs.org \\
    --env HOME=/tmp --tmp-exec --secret CONTEXT7_API_KEY -- npx -y @upstash/context7-mcp@latest
${REMOTE_HELP}
Start, stop, restart and logs are for containers; a remote server is served while it is listed.`;

const common = { ...sharedFlags, 'docker-host': { type: 'string' } } as const;
const commonSchema = {
  'data-dir': z.string().min(1).optional(),
  'docker-host': z.string().min(1).optional(),
  json: z.boolean(),
  help: z.boolean(),
};

const opening = (options: {
  'data-dir'?: string | undefined;
  'docker-host'?: string | undefined;
}): EngineFlags => ({
  dataDir: options['data-dir'],
  dockerHost: options['docker-host'],
});

function splitName(argv: string[], sub: string): [string, string[]] {
  const [name, ...rest] = argv;
  if (!name || name.startsWith('-')) throw new UsageError(`servers ${sub} needs a server NAME\n${USAGE}`);
  return [name, rest];
}

const toolCount = (n: number) => `${n} ${n === 1 ? 'tool' : 'tools'}`;

function summary(view: ServerView): string {
  const tools =
    view.health.status === 'ready'
      ? toolCount(view.health.tools.length)
      : view.health.status === 'failed'
        ? 'probe failed'
        : '-';
  return [
    view.spec.name,
    view.source,
    view.spec.mode,
    view.spec.image,
    view.containerName,
    view.container.state,
    tools,
  ].join('\t');
}

function printView(io: CliIo, json: boolean, view: ServerView): number {
  if (json) {
    io.out(JSON.stringify(view));
    return view.health.status === 'failed' ? 1 : 0;
  }
  io.out(`${view.spec.name}: ${view.container.state} (${view.containerName})`);
  if (view.health.status === 'ready') {
    io.out(
      `  MCP ready: ${view.health.serverName} ${view.health.serverVersion}, ${toolCount(view.health.tools.length)}: ${view.health.tools.map((t) => t.name).join(', ')}`,
    );
  } else if (view.health.status === 'failed') {
    io.err(`  MCP probe failed: ${view.health.reason}`);
    for (const line of view.health.lastLogLines) io.err(`  | ${line}`);
    return 1;
  }
  return 0;
}

async function add(argv: string[], io: CliIo): Promise<number> {
  if (isRemoteAdd(argv)) {
    const [name, flags] = splitName(argv, 'add');
    return addRemote(name, flags, io, { flags: common, schema: commonSchema }, USAGE, (options, work) =>
      withServers(io, opening(options), work),
    );
  }
  const dash = argv.indexOf('--');
  if (dash === -1 || dash === argv.length - 1)
    throw new UsageError(`servers add needs the MCP command after --\n${USAGE}`);
  const [name, flags] = splitName(argv.slice(0, dash), 'add');
  const command = argv.slice(dash + 1);
  const options = parseFlags(
    flags,
    {
      ...common,
      image: { type: 'string' },
      mode: { type: 'string' },
      network: { type: 'string' },
      env: { type: 'string', multiple: true },
      secret: { type: 'string', multiple: true },
      egress: { type: 'string', multiple: true },
      user: { type: 'string' },
      'tmp-exec': { type: 'boolean', default: false },
    },
    z.object({
      ...commonSchema,
      image: z.string({ error: '--image is required' }).min(1),
      mode: containerModeSchema.optional(),
      network: networkSchema.optional(),
      env: z.array(z.string().regex(/^[^=]+=/, 'use --env K=V')).optional(),
      secret: z.array(z.string()).optional(),
      egress: z.array(z.string()).optional(),
      user: z.string().optional(),
      'tmp-exec': z.boolean(),
    }),
    USAGE,
  );
  const env = Object.fromEntries(
    (options.env ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  const secretValues: Record<string, string> = {};
  for (const key of options.secret ?? []) {
    const value = io.env[key];
    if (!value)
      throw new UsageError(
        `--secret ${key}: set the environment variable ${key} to the secret's value when running this command`,
      );
    secretValues[key] = value;
  }
  const parsed = serverSpecSchema.safeParse({
    name,
    image: options.image,
    command,
    ...(options.mode ? { mode: options.mode } : {}),
    // An allow-list implies the allow-listed network; naming another network with it is refused.
    ...(options.network ? { network: options.network } : options.egress ? { network: 'egress' } : {}),
    ...(options.egress ? { egress: options.egress } : {}),
    env,
    secrets: options.secret ?? [],
    ...(options.user !== undefined ? { user: options.user } : {}),
    ...(options['tmp-exec'] ? { relax: { tmpExec: true } } : {}),
  });
  if (!parsed.success) throw new UsageError(`${formatZodError(parsed.error)}\n${USAGE}`);
  return withServers(io, opening(options), async ({ servers }) => {
    const view = await servers.api.add({ spec: parsed.data, secretValues });
    if (options.json) io.out(JSON.stringify(view));
    else
      io.out(
        `Added ${view.spec.name} (${view.spec.mode} mode, container ${view.containerName}). Start it with: mcp-dock servers start ${view.spec.name}`,
      );
    return 0;
  });
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const options = parseFlags(argv, common, z.object(commonSchema), USAGE);
  return withServers(io, opening(options), async ({ engine, servers, remotes }) => {
    const status = await engine.recheck();
    // The list is the views as they stand, and a command just opened has asked the engine nothing:
    // refresh is not in the contract because the app follows the engine's events instead.
    if (status.state === 'reachable') await servers.containers.refresh();
    const views = await servers.api.list();
    // Remote servers follow the containers; their `spec.url` tells them apart. A command connects
    // to none of them, so their state is "unknown" (or "signed-out").
    const remoteViews = await remotes.api.list();
    if (options.json) io.out(JSON.stringify([...views, ...remoteViews]));
    else {
      io.out(['NAME', 'SOURCE', 'MODE', 'IMAGE', 'CONTAINER', 'STATE', 'TOOLS'].join('\t'));
      for (const view of views) io.out(summary(view));
      for (const view of remoteViews) io.out(remoteRow(view));
    }
    if (status.state === 'reachable') return 0;
    // The servers are listed, but a script must not take "unknown" for "not running".
    io.err(
      `(container states unknown: the Docker engine is not reachable: ${status.state === 'unreachable' ? `${status.reason}. ${hintForCommand(status.hint)}` : 'still connecting'})`,
    );
    return 1;
  });
}

async function lifecycle(
  sub: 'start' | 'stop' | 'restart' | 'remove',
  argv: string[],
  io: CliIo,
): Promise<number> {
  const [name, rest] = splitName(argv, sub);
  const options = parseFlags(
    rest,
    { ...common, 'on-clash': { type: 'string' } },
    z.object({ ...commonSchema, 'on-clash': clashChoiceSchema.optional() }),
    USAGE,
  );
  return withServers(io, opening(options), async (opened) => {
    const { api, containers } = opened.servers;
    if (opened.remotes.registry.has(name)) {
      if (sub !== 'remove') throw new NotAContainerError(name, sub);
      await opened.remotes.api.remove({ name });
      io.out(`Removed the remote server ${name} and its secrets and tokens.`);
      return 0;
    }
    if (sub === 'remove') {
      // One server's view before the engine is asked for: the contract has only the whole list,
      // and view() says "no server NAME" as every other sub-command does.
      const view = containers.view(name);
      if (view.source === 'user' || view.container.state !== 'absent') await requireEngine(opened);
      if (view.source === 'catalog') {
        await api.removeContainer({ name });
        io.out(`Removed the container of ${name} (catalog servers stay listed).`);
      } else {
        await api.remove({ name });
        io.out(`Removed ${name}, its container and its secrets.`);
      }
      return 0;
    }
    await requireEngine(opened);
    if (sub === 'stop') return printView(io, options.json, await api.stop({ name }));
    // The CLI prints the probe's outcome (the tools, or why it failed), so it waits for it.
    const input = { name, onClash: options['on-clash'], waitForProbe: true };
    return printView(io, options.json, await (sub === 'restart' ? api.restart(input) : api.start(input)));
  });
}

async function logs(argv: string[], io: CliIo): Promise<number> {
  const [name, rest] = splitName(argv, 'logs');
  const options = parseFlags(
    rest,
    { ...common, follow: { type: 'boolean', short: 'f', default: false }, tail: { type: 'string' } },
    z.object({
      ...commonSchema,
      follow: z.boolean(),
      tail: z.coerce.number().int().min(0).max(100_000).optional(),
    }),
    USAGE,
  );
  return withServers(io, opening(options), async (opened) => {
    if (opened.remotes.registry.has(name)) throw new NotAContainerError(name, 'read logs of');
    await requireEngine(opened);
    // Not the contract's logs: that is the app's live buffer, and a command has none. This reads
    // the engine's log and the sessions' stderr, and follows them until Ctrl-C.
    await opened.servers.containers.readContainerLogs(
      name,
      { tail: options.tail ?? 200, follow: options.follow, signal: io.signal },
      (stream, text) => {
        for (const line of text.replace(/\n$/, '').split('\n')) (stream === 'stderr' ? io.err : io.out)(line);
      },
    );
    return 0;
  });
}

async function signing(sub: 'signin' | 'signout', argv: string[], io: CliIo): Promise<number> {
  const [name, rest] = splitName(argv, sub);
  const options = parseFlags(rest, common, z.object(commonSchema), USAGE);
  return withServers(io, opening(options), async (opened) => {
    if (!opened.remotes.registry.has(name)) {
      opened.servers.containers.view(name);
      throw new UsageError(`"${name}" is a container server; only remote servers (--url) sign in`);
    }
    if (sub === 'signin') return signIn(name, io, opened);
    await opened.remotes.api.signOut({ name });
    io.out(`Signed out of ${name}: its tokens are deleted.`);
    return 0;
  });
}

export async function servers(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'add':
      return add(rest, io);
    case 'list':
    case 'ls':
      return list(rest, io);
    case 'start':
    case 'stop':
    case 'restart':
    case 'remove':
      return lifecycle(sub, rest, io);
    case 'logs':
      return logs(rest, io);
    case 'signin':
    case 'signout':
      return signing(sub, rest, io);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.out(USAGE);
      return sub === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown servers subcommand "${sub}"\n${USAGE}`);
  }
}
