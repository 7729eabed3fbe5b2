import { z } from 'zod';
import { DockError } from '../../../shared/errors';
import { loadSettings } from '../../core/store/settings';
import { resolveDataDir } from '../../core/store/data-dir';
import type { CliIo } from '../io';
import { parseFlags } from '../parse';
import { sharedFlags } from '../shared-flags';

const USAGE = `Usage: mcp-dock token --client ID --secret S [--scope SCOPES] [--resource URL] [--url BASE]

Asks the running MCP Dock for an access token with the client_credentials grant and prints the
token response as JSON. --url defaults to http://127.0.0.1:<http.port from settings.json, else 8081>.`;

export async function token(argv: string[], io: CliIo): Promise<number> {
  const options = parseFlags(
    argv,
    {
      'data-dir': sharedFlags['data-dir'],
      help: sharedFlags.help,
      client: { type: 'string' },
      secret: { type: 'string' },
      scope: { type: 'string' },
      resource: { type: 'string' },
      url: { type: 'string' },
    },
    z.object({
      'data-dir': z.string().optional(),
      help: z.boolean(),
      client: z.string({ error: '--client is required' }).min(1),
      secret: z.string({ error: '--secret is required' }).min(1),
      scope: z.string().optional(),
      resource: z.url().optional(),
      url: z.url().optional(),
    }),
    USAGE,
  );
  const base =
    options.url ??
    `http://127.0.0.1:${(await loadSettings(resolveDataDir({ flag: options['data-dir'], env: io.env }))).http.port}`;
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: options.client,
    client_secret: options.secret,
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
    throw new DockError(
      'ENGINE_UNREACHABLE',
      `MCP Dock is not answering at ${base} (${(error as Error).message}). Start it with \`npm start\` or \`mcp-dock serve\`, or pass --url.`,
    );
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
