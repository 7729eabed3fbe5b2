import { z } from 'zod';
import { callPolicySchema } from '../../../shared/approvals';
import { profileNameSchema, profileSchema, type ProfileView } from '../../../shared/profiles';
import { piiActionSchema } from '../../../shared/security';
import { serverNameSchema } from '../../../shared/servers';
import { UsageError } from '../../core/errors';
import { openGatewaySettings } from '../../core/gateway/gateway-settings';
import { splitNamespaced } from '../../core/gateway/tool-names';
import { openProfiles } from '../../core/profiles/open-profiles';
import type { CliIo } from '../io';
import { parseFlags } from '../parse';
import { appOrigin } from '../running-app';
import { sharedFlags } from '../shared-flags';
import { withServers, type OpenedServers } from '../with-servers';

const USAGE = `Usage:
  mcp-dock profiles add NAME [--server SERVER]... [--tool SERVER__TOOL]... [--own-tools] [--search]
                        [--call-policy allow|ask|deny] [--pii-action allow|mask|redact|encrypt|reject]
                        [--description TEXT] [--data-dir DIR]
  mcp-dock profiles list [--json] [--data-dir DIR]
  mcp-dock profiles remove NAME [--data-dir DIR]

A profile is a named selection of servers (--server: all of its tools, prompts and resources) and
single tools (--tool, named as clients see them: <server>__<tool>), served at its own endpoint,
/mcp/p/NAME, with tokens issued for exactly that endpoint. --own-tools adds MCP Dock's own
security and OAuth tools. --search serves two tools instead of all of them: find_tools (a query
answers the best-matching tools) and call_tool (calls one, with every protection a direct call
gets). --call-policy and --pii-action stand in for the servers' defaults for calls made through
the profile (a policy set for one tool still wins). A running app takes changes at once.

Stdio clients: mcp-dock gateway --stdio --profile NAME. Snippets: mcp-dock snippet CLIENT --profile NAME.`;

const common = { 'data-dir': sharedFlags['data-dir'], help: sharedFlags.help };

const addSchema = z.object({
  'data-dir': z.string().min(1).optional(),
  help: z.boolean(),
  server: z.array(serverNameSchema).default([]),
  tool: z.array(z.string().min(1)).default([]),
  'own-tools': z.boolean(),
  search: z.boolean(),
  'call-policy': callPolicySchema.optional(),
  'pii-action': piiActionSchema.optional(),
  description: z.string().max(500).optional(),
});

// Container servers and remote servers: one name space, which profiles name.
const serverNamesOf = (opened: OpenedServers) => [
  ...opened.servers.registry.list().map((r) => r.spec.name),
  ...opened.remotes.registry.list().map((r) => r.name),
];

async function open(opened: OpenedServers) {
  const issuer = await appOrigin(opened.dataDir);
  return openProfiles({
    dataDir: opened.dataDir,
    issuer,
    serverNames: () => serverNamesOf(opened),
    onServersChanged: () => () => undefined,
  });
}

function printProfiles(io: CliIo, list: readonly ProfileView[]): void {
  if (list.length === 0) {
    io.out('No profiles. Add one: mcp-dock profiles add NAME --server SERVER');
    return;
  }
  for (const p of list) {
    const what = [
      ...p.servers.map((s) => `${s} (all)`),
      ...p.tools.map((t) => `${t.server}/${t.tool}`),
      ...(p.ownTools ? ['MCP Dock tools'] : []),
    ];
    const extras = [
      p.search ? 'tool search' : '',
      p.callPolicy ? `calls: ${p.callPolicy}` : '',
      p.piiPolicy ? `PII: ${p.piiPolicy.action}` : '',
      p.missingServers.length > 0 ? `missing: ${p.missingServers.join(', ')}` : '',
    ].filter(Boolean);
    io.out(`${p.name}  ${p.url}`);
    io.out(`  ${what.join(', ') || '(nothing selected)'}${extras.length ? `  [${extras.join('; ')}]` : ''}`);
    if (p.description) io.out(`  ${p.description}`);
  }
}

export async function profiles(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub) throw new UsageError(`profiles needs add, list or remove\n${USAGE}`);
  if (sub === '--help' || sub === '-h') {
    io.out(USAGE);
    return 0;
  }
  if (sub === 'list') {
    const options = parseFlags(
      rest,
      { ...common, json: sharedFlags.json },
      z.object({ 'data-dir': z.string().min(1).optional(), help: z.boolean(), json: z.boolean() }),
      USAGE,
    );
    if (options.help) {
      io.out(USAGE);
      return 0;
    }
    return withServers(io, { dataDir: options['data-dir'] }, async (opened) => {
      const list = await (await open(opened)).api.list();
      if (options.json) io.out(JSON.stringify(list));
      else printProfiles(io, list);
      return 0;
    });
  }
  const [name, ...flags] = rest;
  if (sub !== 'add' && sub !== 'remove') throw new UsageError(`unknown profiles command "${sub}"\n${USAGE}`);
  if (!name || name.startsWith('-')) throw new UsageError(`profiles ${sub} needs NAME\n${USAGE}`);
  const checked = profileNameSchema.safeParse(name);
  if (!checked.success) throw new UsageError(`profile name "${name}": ${checked.error.issues[0]!.message}`);
  if (sub === 'remove') {
    const options = parseFlags(
      flags,
      common,
      z.object({ 'data-dir': z.string().min(1).optional(), help: z.boolean() }),
      USAGE,
    );
    return withServers(io, { dataDir: options['data-dir'] }, async (opened) => {
      await (await open(opened)).api.remove({ name });
      io.out(`Removed profile ${name}.`);
      return 0;
    });
  }
  const options = parseFlags(
    flags,
    {
      ...common,
      server: { type: 'string', multiple: true },
      tool: { type: 'string', multiple: true },
      'own-tools': { type: 'boolean', default: false },
      search: { type: 'boolean', default: false },
      'call-policy': { type: 'string' },
      'pii-action': { type: 'string' },
      description: { type: 'string' },
    },
    addSchema,
    USAGE,
  );
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  return withServers(io, { dataDir: options['data-dir'] }, async (opened) => {
    const profilesCap = await open(opened);
    const { separator } = (await openGatewaySettings(opened.dataDir)).get();
    const servers = serverNamesOf(opened);
    const tools = options.tool.map((shown) => {
      const target = splitNamespaced(shown, separator, servers);
      if (!target)
        throw new UsageError(
          `--tool ${shown}: name a tool as clients see it, <server>${separator}<tool>, of a server that exists (${servers.join(', ') || 'none yet'})`,
        );
      return target;
    });
    if (options.server.length === 0 && tools.length === 0 && !options['own-tools'])
      throw new UsageError(`profiles add needs at least one --server, --tool or --own-tools\n${USAGE}`);
    const view = await profilesCap.api.add(
      profileSchema.parse({
        name,
        servers: options.server,
        tools,
        ownTools: options['own-tools'],
        search: options.search,
        ...(options['call-policy'] ? { callPolicy: options['call-policy'] } : {}),
        ...(options['pii-action'] ? { piiPolicy: { action: options['pii-action'] } } : {}),
        ...(options.description ? { description: options.description } : {}),
      }),
    );
    io.out(`Added profile ${view.name}: ${view.url}`);
    io.out(`Stdio clients: mcp-dock gateway --stdio --profile ${view.name}`);
    return 0;
  });
}
