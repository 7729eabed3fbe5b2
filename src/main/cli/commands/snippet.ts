import { z } from 'zod';
import { CLIENT_FACTS, CLIENT_IDS, clientIdSchema, type ClientId } from '../../../shared/snippets';
import { profileNameSchema } from '../../../shared/profiles';
import { buildGatewaySnippet } from '../../core/clients/gateway-snippet';
import { gatewayClientEntry } from '../../core/gateway/gateway-client-entry';
import { defaultCliLaunch } from '../../core/lib/cli-launch';
import { ProfileStore } from '../../core/profiles/profile-store';
import { openDataDir } from '../open-capabilities';
import { appOrigin } from '../running-app';
import { UsageError } from '../../core/errors';
import type { CliIo } from '../io';
import { createSnippetsApi } from '../../core/clients/snippets-api';
import { withServers } from '../with-servers';
import { parseFlags } from '../parse';
import { sharedFlags } from '../shared-flags';

const USAGE = `Usage:
  mcp-dock snippet CLIENT SERVER [--data-dir D] [--docker-host URL] [--json]
  mcp-dock snippet CLIENT --gateway [--form url|stdio] [--data-dir D] [--json]
  mcp-dock snippet CLIENT --profile NAME [--form url|stdio] [--data-dir D] [--json]

Prints the config for CLIENT (${CLIENT_IDS.join(', ')}) to run SERVER through Docker:
the entry in its place in that client's config file (JSON, YAML for continue and goose, TOML for
codex-cli) to merge, or for claude-code a \`claude mcp add\` command line.

--gateway gives the entry for MCP Dock's gateway (/mcp, every server) and --profile NAME the one for
that profile's endpoint (/mcp/p/NAME): by URL where the client signs in with OAuth itself, else (or
with --form stdio) as \`mcp-dock gateway --stdio\`, which needs no secret in the config.`;

export async function snippet(argv: string[], io: CliIo): Promise<number> {
  const [client, server, ...rest] = argv;
  if (client === '--help' || client === '-h') {
    io.out(USAGE);
    return 0;
  }
  if (!client || client.startsWith('-')) throw new UsageError(`snippet needs CLIENT\n${USAGE}`);
  const clientId = clientIdSchema.safeParse(client);
  if (!clientId.success)
    throw new UsageError(`unknown client "${client}": use one of ${CLIENT_IDS.join(', ')}`);
  if (server === undefined || server.startsWith('-')) return gatewaySnippet(clientId.data, argv.slice(1), io);
  const options = parseFlags(
    rest,
    { ...sharedFlags, 'docker-host': { type: 'string' } },
    z.object({
      'data-dir': z.string().optional(),
      'docker-host': z.string().optional(),
      json: z.boolean(),
      help: z.boolean(),
    }),
    USAGE,
  );
  const opening = { dataDir: options['data-dir'], dockerHost: options['docker-host'] };
  return withServers(io, opening, async ({ engine, servers }) => {
    const result = await createSnippetsApi(servers.containers, engine).get({ client: clientId.data, server });
    io.out(options.json ? JSON.stringify(result) : result.text.replace(/\n$/, ''));
    return 0;
  });
}

async function gatewaySnippet(client: ClientId, argv: string[], io: CliIo): Promise<number> {
  const options = parseFlags(
    argv,
    {
      'data-dir': sharedFlags['data-dir'],
      json: sharedFlags.json,
      help: sharedFlags.help,
      gateway: { type: 'boolean', default: false },
      profile: { type: 'string' },
      form: { type: 'string' },
    },
    z.object({
      'data-dir': z.string().optional(),
      json: z.boolean(),
      help: z.boolean(),
      gateway: z.boolean(),
      profile: profileNameSchema.optional(),
      form: z.enum(['url', 'stdio']).optional(),
    }),
    USAGE,
  );
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  if (options.gateway === (options.profile !== undefined))
    throw new UsageError(`snippet needs SERVER, --gateway or --profile NAME (one of them)\n${USAGE}`);
  const { dataDir } = await openDataDir(io, { dataDir: options['data-dir'] });
  if (options.profile) (await ProfileStore.open(dataDir)).get(options.profile);
  const entry = gatewayClientEntry(
    { issuer: await appOrigin(dataDir), dataDir, cliLaunch: defaultCliLaunch(__dirname) },
    options.profile,
  );
  const form = options.form ?? (CLIENT_FACTS[client].url ? 'url' : 'stdio');
  const result = buildGatewaySnippet(client, form, entry.url, entry.launch, {}, options.profile);
  io.out(options.json ? JSON.stringify(result) : result.text.replace(/\n$/, ''));
  return 0;
}
