import { z } from 'zod';
import { UsageError } from '../../core/errors';
import { clientIdSchema } from '../../core/oauth/client-admin';
import { internalClient } from '../../../shared/internal-clients';
import type { CliIo } from '../io';
import { withOAuthClients } from '../with-oauth-clients';
import { findRunningApp } from '../running-app';
import { waitUntilAppAccepts } from '../wait-for-client';
import { parseFlags } from '../parse';
import { sharedFlags } from '../shared-flags';

const USAGE = `Usage:
  mcp-dock clients add --name N --grant client_credentials --scope mcp.access [--secret-stdin]
  mcp-dock clients list
  mcp-dock clients revoke NAME

add prints {"client_id", "client_secret"} as JSON and nothing else on stdout; the secret is shown
only this once (MCP Dock keeps a hash). --secret-stdin reads the secret from standard input
instead of generating one, e.g. to keep the guide's own credentials working. When the app runs on
the same data directory, add returns once the app accepts the new client (at most 10 s).
Every subcommand takes --data-dir D.`;

const common = { 'data-dir': sharedFlags['data-dir'], help: sharedFlags.help, json: sharedFlags.json };
const commonSchema = { 'data-dir': z.string().min(1).optional(), help: z.boolean(), json: z.boolean() };

export async function clients(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.out(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'add') {
    const options = parseFlags(
      rest,
      {
        ...common,
        name: { type: 'string' },
        grant: { type: 'string' },
        scope: { type: 'string' },
        'secret-stdin': { type: 'boolean', default: false },
      },
      z.object({
        ...commonSchema,
        name: z.string({ error: '--name is required' }).pipe(clientIdSchema),
        grant: z
          .literal('client_credentials', {
            error: '--grant must be client_credentials (public clients register themselves)',
          })
          .default('client_credentials'),
        scope: z.string().min(1).default('mcp.access'),
        'secret-stdin': z.boolean(),
      }),
      USAGE,
    );
    let secret: string | undefined;
    if (options['secret-stdin']) {
      if (!io.stdin) throw new UsageError('--secret-stdin needs standard input');
      secret = (await io.stdin()).toString('utf8').replace(/\r?\n$/, '');
      if (!secret) throw new UsageError('--secret-stdin: standard input was empty');
      if (secret.length < 16)
        io.err(
          'mcp-dock: warning: that client secret is short; anyone who can reach the token endpoint can guess it',
        );
    }
    const { created, dataDir } = await withOAuthClients(
      io,
      { dataDir: options['data-dir'] },
      async (opened) => ({
        created: await opened.clients.create({
          name: options.name,
          grant: options.grant,
          scope: options.scope,
          secret,
        }),
        dataDir: opened.dataDir,
      }),
    );
    // The app running on this data directory learns of the client from its file watcher, a
    // moment later; a script that uses the secret at once must not meet invalid_client.
    const origin = await findRunningApp(dataDir);
    try {
      if (origin) await waitUntilAppAccepts(origin, created, { signal: io.signal });
    } finally {
      // Printed whatever happens: the secret exists only here.
      io.out(JSON.stringify(created));
    }
    return 0;
  }
  if (sub === 'list') {
    const options = parseFlags(rest, common, z.object(commonSchema), USAGE);
    return withOAuthClients(io, { dataDir: options['data-dir'] }, async ({ clients }) => {
      const list = clients.list();
      if (options.json) io.out(JSON.stringify(list));
      else {
        io.out(['CLIENT_ID', 'KIND', 'GRANTS', 'SCOPE', 'CREATED'].join('\t'));
        for (const c of list)
          io.out(
            [
              c.client_id,
              c.kind,
              c.grant_types.join(','),
              c.scope,
              c.created_at ? new Date(c.created_at * 1000).toISOString() : '-',
            ].join('\t'),
          );
      }
      return 0;
    });
  }
  if (sub === 'revoke') {
    const [name, ...flags] = rest;
    if (!name || name.startsWith('-')) throw new UsageError(`clients revoke needs a client NAME\n${USAGE}`);
    const options = parseFlags(flags, common, z.object(commonSchema), USAGE);
    return withOAuthClients(io, { dataDir: options['data-dir'] }, async ({ clients }) => {
      await clients.revoke(name);
      io.out(
        `Revoked ${name}: its grants and refresh tokens are gone and its access tokens are refused from now on.`,
      );
      const internal = internalClient(name);
      if (internal) io.out(`${internal.label} is MCP Dock's own client. ${internal.revokeEffect}`);
      return 0;
    });
  }
  throw new UsageError(`unknown clients subcommand "${sub}"\n${USAGE}`);
}
