import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import { DockError } from '../../../shared/errors';
import { UsageError } from '../../core/errors';
import { STDIO_SCOPE } from '../../core/gateway/stdio-credential';
import { relayStdioToHttp } from '../../core/gateway/stdio-relay';
import type { CliIo } from '../io';
import { withCore } from '../open-core';
import { parseFlags } from '../parse';
import { sharedFlags } from '../shared-flags';

const USAGE = `Usage: mcp-dock gateway --stdio [--url URL] [--data-dir DIR]

Relays MCP over standard input and output to the running MCP Dock's gateway (/mcp), for clients
that only launch commands (Claude Desktop). It signs in with a client credential MCP Dock keeps
in its secret store, so the client's config holds no secret. --url defaults to
http://127.0.0.1:<http.port from settings.json, else 8081>/mcp.`;

export async function gateway(argv: string[], io: CliIo): Promise<number> {
  const options = parseFlags(
    argv,
    {
      'data-dir': sharedFlags['data-dir'],
      help: sharedFlags.help,
      stdio: { type: 'boolean', default: false },
      url: { type: 'string' },
    },
    z.object({
      'data-dir': z.string().optional(),
      help: z.boolean(),
      stdio: z.boolean(),
      url: z.url({ protocol: /^https?$/, error: '--url must be an http(s) URL' }).optional(),
    }),
    USAGE,
  );
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  if (!options.stdio) throw new UsageError(`gateway needs --stdio\n${USAGE}`);
  const stdio = io.stdio;
  if (!stdio) throw new UsageError('gateway --stdio needs standard input and output');
  // The core is opened only to read (or make) the credential, then closed: the running app owns
  // the data directory's live state.
  const { credential, url } = await withCore(io, options['data-dir'], undefined, async (core) => ({
    credential: await core.stdioCredential(),
    url: options.url ?? `${core.issuer()}/mcp`,
  }));
  const origin = new URL(url).origin;
  const healthy = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
    (r) => r.ok,
    () => false,
  );
  if (!healthy)
    throw new DockError(
      'TRANSPORT_CLOSED',
      `MCP Dock is not running at ${origin}; start the app or \`mcp-dock serve\`, then reconnect`,
    );
  await untilAccepted(origin, credential);
  await relayStdioToHttp({
    input: stdio.input as Readable,
    output: stdio.output as Writable,
    url,
    credential,
    scope: STDIO_SCOPE,
    signal: io.signal,
    log: (line) => io.err(line),
  });
  return 0;
}

// A credential made just now reaches the running app through its file watcher; give it a moment
// rather than fail the client's first request.
async function untilAccepted(origin: string, credential: { client_id: string; client_secret: string }) {
  let last = '';
  for (let attempt = 0; attempt < 25; attempt++) {
    const res = await fetch(`${origin}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: credential.client_id,
        client_secret: credential.client_secret,
        scope: STDIO_SCOPE,
      }),
    });
    if (res.ok) return;
    last = `${res.status} ${((await res.json().catch(() => ({}))) as { error?: string }).error ?? ''}`;
    if (res.status !== 401 && res.status !== 400) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new DockError('TRANSPORT_CLOSED', `MCP Dock at ${origin} refused the gateway's credential (${last})`);
}
