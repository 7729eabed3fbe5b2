import { z } from 'zod';
import { CLIENT_IDS, clientIdSchema } from '../../../shared/snippets';
import { UsageError } from '../../core/errors';
import type { CliIo } from '../io';
import { createSnippetsApi } from '../../core/clients/snippets-api';
import { withServers } from '../with-servers';
import { parseFlags } from '../parse';
import { sharedFlags } from '../shared-flags';

const USAGE = `Usage: mcp-dock snippet CLIENT SERVER [--data-dir D] [--docker-host URL] [--json]

Prints the config for CLIENT (${CLIENT_IDS.join(', ')}) to run SERVER through Docker.
JSON clients get a whole config file to merge; claude-code gets a \`claude mcp add\` command line.`;

export async function snippet(argv: string[], io: CliIo): Promise<number> {
  const [client, server, ...rest] = argv;
  if (client === '--help' || client === '-h') {
    io.out(USAGE);
    return 0;
  }
  if (!client || !server || client.startsWith('-') || server.startsWith('-'))
    throw new UsageError(`snippet needs CLIENT and SERVER\n${USAGE}`);
  const clientId = clientIdSchema.safeParse(client);
  if (!clientId.success)
    throw new UsageError(`unknown client "${client}": use one of ${CLIENT_IDS.join(', ')}`);
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
