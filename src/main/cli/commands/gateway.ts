import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import { UsageError } from '../../core/errors';
import { AppNotRunningError, CredentialRefusedError } from '../cli-errors';
import {
  readStdioToken,
  saveStdioToken,
  stdioCredential,
  STDIO_SCOPE,
  type StdioCredential,
  type StdioTokens,
} from '../../core/gateway/stdio-credential';
import type { CliIo } from '../io';
import { fileKeyProvider } from '../../core/secrets/key-provider';
import { openSecretStore } from '../../core/secrets/secret-store';
import { withGatewayCredential } from '../with-oauth-clients';
import { answersHealthz, appOrigin } from '../running-app';
import { waitUntilAppAccepts } from '../wait-for-client';
import { parseFlags } from '../parse';
import { sharedFlags } from '../shared-flags';
import { profileNameSchema, profilePath } from '../../../shared/profiles';
import { ProfileStore } from '../../core/profiles/profile-store';

const USAGE = `Usage: mcp-dock gateway --stdio [--profile NAME | --url URL] [--data-dir DIR]

Relays MCP over standard input and output to the running MCP Dock's gateway (/mcp), for clients
that only launch commands (Claude Desktop). It signs in with a client credential MCP Dock keeps
in its secret store, so the client's config holds no secret. Sessions share one access token
(kept encrypted beside the credential) until it is about to expire. --url defaults to the app
running on the data directory, else http://127.0.0.1:<http.port from settings.json, else 8081>/mcp.
--profile NAME relays to that profile's endpoint (/mcp/p/NAME) instead: only its servers and tools.`;

export async function gateway(argv: string[], io: CliIo): Promise<number> {
  const options = parseFlags(
    argv,
    {
      'data-dir': sharedFlags['data-dir'],
      help: sharedFlags.help,
      stdio: { type: 'boolean', default: false },
      url: { type: 'string' },
      profile: { type: 'string' },
    },
    z.object({
      'data-dir': z.string().optional(),
      help: z.boolean(),
      stdio: z.boolean(),
      url: z.url({ protocol: /^https?$/, error: '--url must be an http(s) URL' }).optional(),
      profile: profileNameSchema.optional(),
    }),
    USAGE,
  );
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  if (!options.stdio) throw new UsageError(`gateway needs --stdio\n${USAGE}`);
  if (options.url && options.profile)
    throw new UsageError(`gateway takes --profile or --url, not both\n${USAGE}`);
  const profile = options.profile;
  const stdio = io.stdio;
  if (!stdio) throw new UsageError('gateway --stdio needs standard input and output');
  // The secrets and the OAuth clients are opened only to read (or make) the credential, then
  // closed: the running app owns the data directory's live state.
  const { credential, url, dataDir } = await withGatewayCredential(
    io,
    { dataDir: options['data-dir'] },
    async (opened) => {
      // A profile that does not exist is said now, not as a failed initialize in the client.
      if (profile) (await ProfileStore.open(opened.dataDir)).get(profile);
      return {
        credential: await stdioCredential(opened.secrets, opened.clients),
        url: options.url ?? `${await appOrigin(opened.dataDir)}${profile ? profilePath(profile) : '/mcp'}`,
        dataDir: opened.dataDir,
      };
    },
  );
  const origin = new URL(url).origin;
  const healthy = await answersHealthz(origin, 5000);
  if (!healthy) throw new AppNotRunningError(origin);
  const key = { clientId: credential.client_id, url };
  // Opened afresh for each read and write: the app writes secrets.json too, and a copy read
  // minutes ago would undo what it wrote since. The CLI's core uses the same key file.
  const tokenStore = () => openSecretStore(dataDir, fileKeyProvider(dataDir));
  const save = async (tokens: StdioTokens) => saveStdioToken(await tokenStore(), key, tokens);
  let initial = await readStdioToken(await tokenStore(), key);
  if (!initial) {
    initial = await mintToken(url, credential, io.signal);
    await save(initial).catch((error: Error) =>
      io.err(`mcp-dock gateway: could not keep the token for later sessions: ${error.message}`),
    );
  }
  // The MCP SDK is loaded once there is an app to relay to: a client told that none runs hears
  // it without waiting for the SDK to load.
  const { relayStdioToHttp } = await import('../../core/gateway/stdio-relay');
  await relayStdioToHttp({
    input: stdio.input as Readable,
    output: stdio.output as Writable,
    url,
    credential,
    scope: STDIO_SCOPE,
    signal: io.signal,
    log: (line) => io.err(line),
    tokens: { initial, save },
  });
  return 0;
}

// The session's first token; it also proves the app knows the credential. One made just now
// reaches the running app through its file watcher a moment later: wait for that, then ask again.
async function mintToken(
  url: string,
  credential: StdioCredential,
  signal: AbortSignal,
): Promise<StdioTokens> {
  const origin = new URL(url).origin;
  const attempt = async () => {
    const res = await fetch(`${origin}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: credential.client_id,
        client_secret: credential.client_secret,
        scope: STDIO_SCOPE,
        // Tokens name the one endpoint they are for (/mcp, or a profile's).
        resource: url,
      }),
      signal,
    });
    const body = (await res.json().catch(() => ({}))) as Partial<StdioTokens> & { error?: string };
    return { res, body };
  };
  let { res, body } = await attempt();
  if (res.status === 401 || body.error === 'invalid_client') {
    await waitUntilAppAccepts(origin, credential, { signal });
    ({ res, body } = await attempt());
  }
  if (!res.ok || typeof body.access_token !== 'string')
    throw new CredentialRefusedError(origin, [res.status, body.error].filter(Boolean).join(' '));
  return {
    access_token: body.access_token,
    token_type: body.token_type ?? 'Bearer',
    expires_in: body.expires_in,
    scope: body.scope,
  };
}
