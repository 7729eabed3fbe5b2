import { z } from 'zod';
import { UsageError } from '../../core/errors';
import { AppNotAnsweringError } from '../cli-errors';
import { resolveDataDir } from '../../core/store/data-dir';
import type { CliIo } from '../io';
import { parseFlags } from '../parse';
import { appOrigin } from '../running-app';
import { sharedFlags } from '../shared-flags';

const USAGE = `Usage: mcp-dock token --client ID (--secret S | --secret-stdin) [--scope SCOPES] [--resource URL] [--url BASE]

Asks the running MCP Dock for an access token with the client_credentials grant and prints the
token response as JSON. --secret-stdin reads the secret from standard input instead, which keeps
it out of the process list and works for secrets that start with "-" (or write --secret=-...).
--url defaults to the app running on the data directory (--data-dir), else
http://127.0.0.1:<http.port from settings.json, else 8081>.`;

export async function token(argv: string[], io: CliIo): Promise<number> {
  const options = parseFlags(
    argv,
    {
      'data-dir': sharedFlags['data-dir'],
      help: sharedFlags.help,
      client: { type: 'string' },
      secret: { type: 'string' },
      'secret-stdin': { type: 'boolean', default: false },
      scope: { type: 'string' },
      resource: { type: 'string' },
      url: { type: 'string' },
    },
    z
      .object({
        'data-dir': z.string().optional(),
        help: z.boolean(),
        client: z.string({ error: '--client is required' }).min(1),
        secret: z.string().min(1).optional(),
        'secret-stdin': z.boolean(),
        scope: z.string().optional(),
        resource: z.url().optional(),
        url: z.url().optional(),
      })
      .refine((o) => !(o.secret !== undefined && o['secret-stdin']), {
        message: 'give either --secret or --secret-stdin, not both',
      })
      .refine((o) => o.secret !== undefined || o['secret-stdin'], {
        message: '--secret is required (or --secret-stdin)',
      }),
    USAGE,
  );
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  const secret = options.secret ?? (await secretFromStdin(io));
  const base = options.url ?? (await appOrigin(resolveDataDir({ flag: options['data-dir'], env: io.env })));
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: options.client,
    client_secret: secret,
  });
  if (options.scope) body.set('scope', options.scope);
  if (options.resource) body.set('resource', options.resource);
  let response: Response;
  try {
    response = await fetch(new URL('/oauth2/token', base), {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  } catch (error) {
    throw new AppNotAnsweringError(base, (error as Error).message);
  }
  const text = await response.text();
  if (!response.ok) {
    let detail = text;
    try {
      const json = JSON.parse(text) as { error?: string; error_description?: string };
      detail = `${json.error ?? response.status}${json.error_description ? `: ${json.error_description}` : ''}`;
    } catch {
      // not JSON: show it as it came
    }
    io.err(`mcp-dock: the token endpoint refused: ${detail}`);
    return 1;
  }
  io.out(text);
  return 0;
}

async function secretFromStdin(io: CliIo): Promise<string> {
  if (!io.stdin) throw new UsageError('--secret-stdin needs standard input');
  // One trailing newline is what `echo` and here-strings add; it is never part of the secret.
  const secret = (await io.stdin()).toString('utf8').replace(/\r?\n$/, '');
  if (!secret) throw new UsageError('--secret-stdin: standard input was empty');
  return secret;
}
