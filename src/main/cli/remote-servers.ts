import { createServer } from 'node:http';
import { z } from 'zod';
import { formatZodError } from '../../shared/errors';
import { remoteSpecSchema, remoteTransportSchema, type RemoteView } from '../../shared/remotes';
import { UsageError } from '../core/errors';
import { REMOTE_CONTROL_PREFIX } from '../core/remotes/remote-control-route';
import { RemoteAuthError } from '../core/remotes/remote-errors';
import { readAppOrigin } from '../core/http/app-origin-file';
import { findRunningApp } from './running-app';
import type { CliIo } from './io';
import { parseFlags } from './parse';
import type { OpenedServers } from './with-servers';

export const REMOTE_USAGE = `  mcp-dock servers add NAME --url URL [--transport auto|streamable-http|sse]
                            [--header-secret HEADER=NAME | --oauth [--client-id ID]
                            [--client-secret NAME] [--client-metadata-url URL] [--scope S]...]
  mcp-dock servers signin NAME
  mcp-dock servers signout NAME`;

export const REMOTE_HELP = `--url URL adds a remote MCP server (Streamable HTTP; with --transport auto, the default, the
legacy HTTP+SSE transport when the server only speaks that). The gateway serves it as it serves
containers: same scopes, PII policies, pins, call policies and audit. --header-secret
Authorization=NAME sends the header with the value of the environment variable NAME, stored
encrypted (e.g. NAME="Bearer ..."). --oauth signs in as an OAuth client per the MCP authorization
spec (discovery; dynamic registration, --client-id, or --client-metadata-url: an https Client ID
Metadata Document you publish, used where the authorization server takes one; PKCE in your browser); run
\`mcp-dock servers signin NAME\` and open the URL it prints. Tokens are stored encrypted and
refreshed before they expire.`;

export function isRemoteAdd(argv: string[]): boolean {
  const dash = argv.indexOf('--');
  return (dash === -1 ? argv : argv.slice(0, dash)).some((a) => a === '--url' || a.startsWith('--url='));
}

export async function addRemote(
  name: string,
  argv: string[],
  io: CliIo,
  common: { flags: Record<string, { type: 'string' | 'boolean' }>; schema: Record<string, z.ZodType> },
  usage: string,
  open: (
    flags: { 'data-dir'?: string | undefined; 'docker-host'?: string | undefined },
    work: (opened: OpenedServers) => Promise<number>,
  ) => Promise<number>,
): Promise<number> {
  if (argv.includes('--'))
    throw new UsageError(`a remote server (--url) runs no command: drop what follows --\n${usage}`);
  const options = parseFlags(
    argv,
    {
      ...common.flags,
      url: { type: 'string' },
      transport: { type: 'string' },
      'header-secret': { type: 'string' },
      oauth: { type: 'boolean', default: false },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'client-metadata-url': { type: 'string' },
      scope: { type: 'string', multiple: true },
    },
    z.object({
      ...common.schema,
      json: z.boolean(),
      url: z.string(),
      transport: remoteTransportSchema.optional(),
      'header-secret': z
        .string()
        .regex(/^[^=]+=[^=]+$/, 'use --header-secret HEADER=NAME')
        .optional(),
      oauth: z.boolean(),
      'client-id': z.string().optional(),
      'client-secret': z.string().optional(),
      'client-metadata-url': z.string().optional(),
      scope: z.array(z.string()).optional(),
    }),
    usage,
  );
  if (options['header-secret'] && options.oauth)
    throw new UsageError(`choose one of --header-secret and --oauth\n${usage}`);
  if (
    (options['client-id'] || options['client-secret'] || options['client-metadata-url'] || options.scope) &&
    !options.oauth
  )
    throw new UsageError(
      `--client-id, --client-secret, --client-metadata-url and --scope go with --oauth\n${usage}`,
    );
  const secretValues: Record<string, string> = {};
  const fromEnv = (flag: string, key: string) => {
    const value = io.env[key];
    if (!value)
      throw new UsageError(
        `${flag}: set the environment variable ${key} to the secret's value when running this command`,
      );
    secretValues[key] = value;
  };
  let auth: unknown = { type: 'none' };
  if (options['header-secret']) {
    const [header, secret] = options['header-secret'].split('=') as [string, string];
    fromEnv('--header-secret', secret);
    auth = { type: 'header', header, secret };
  } else if (options.oauth) {
    if (options['client-secret']) fromEnv('--client-secret', options['client-secret']);
    auth = {
      type: 'oauth',
      ...(options['client-id'] ? { clientId: options['client-id'] } : {}),
      ...(options['client-secret'] ? { clientSecret: options['client-secret'] } : {}),
      ...(options['client-metadata-url'] ? { clientMetadataUrl: options['client-metadata-url'] } : {}),
      ...(options.scope ? { scopes: options.scope } : {}),
    };
  }
  const parsed = remoteSpecSchema.safeParse({
    name,
    url: options.url,
    ...(options.transport ? { transport: options.transport } : {}),
    auth,
  });
  if (!parsed.success) throw new UsageError(`${formatZodError(parsed.error)}\n${usage}`);
  return open(options as { 'data-dir'?: string; 'docker-host'?: string }, async ({ remotes }) => {
    const view = await remotes.api.add({ spec: parsed.data, secretValues });
    if (options.json) io.out(JSON.stringify(view));
    else {
      io.out(`Added remote server ${view.spec.name} (${view.spec.url}).`);
      io.out(
        view.spec.auth.type === 'oauth'
          ? `Sign in with: mcp-dock servers signin ${view.spec.name}`
          : 'The gateway connects to it while MCP Dock runs; its tools appear at /mcp.',
      );
    }
    return 0;
  });
}

export function remoteRow(view: RemoteView): string {
  const tools =
    view.state === 'ready' ? `${view.tools.length} ${view.tools.length === 1 ? 'tool' : 'tools'}` : '-';
  return [
    view.spec.name,
    'remote',
    view.transport ?? view.spec.transport,
    view.spec.url,
    '-',
    view.state,
    tools,
  ].join('\t');
}

// Sign-in: the running app owns the callback route, so it is asked to start the sign-in; with no
// app running, the callback is served here, on the app's port, until the browser comes back.
export async function signIn(
  name: string,
  io: CliIo,
  opened: OpenedServers,
  timeoutMs = 10 * 60_000,
): Promise<number> {
  const spec = opened.remotes.registry.get(name);
  if (spec.auth.type !== 'oauth')
    throw new UsageError(
      `"${name}" does not use OAuth (its auth is ${spec.auth.type}); nothing to sign in to`,
    );
  const running = await findRunningApp(opened.dataDir);
  const record = running ? await readAppOrigin(opened.dataDir) : undefined;
  if (running && record?.control) return signInThroughApp(name, io, running, record.control, timeoutMs);

  const port = opened.settings.http.port;
  const routes = opened.remotes.routes;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    void (async () => {
      for (const route of routes) if (await route(req, res, url)) return;
      res.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  }).catch((error: unknown) => {
    throw new UsageError(
      `the sign-in's redirect comes back to 127.0.0.1:${port}, which is in use (${(error as Error).message}); start MCP Dock there, or stop what holds the port`,
    );
  });
  try {
    // Ends when this sign-in ends (the browser came back, or the sign-in was refused): tokens
    // may have been there all along (signing in again), so it is the pending sign-in that tells.
    const { oauth } = opened.remotes;
    let settle: (ok: boolean) => void = () => undefined;
    const signedIn = new Promise<boolean>((resolve) => (settle = resolve));
    const stop = opened.remotes.api.onChanged(() => {
      if (oauth.signInUrl(name) !== undefined) return;
      settle(oauth.hasTokens(name) && !oauth.reason(name));
    });
    const timer = setTimeout(() => settle(false), timeoutMs);
    const onAbort = () => settle(false);
    io.signal?.addEventListener('abort', onAbort, { once: true });
    void signedIn.finally(() => {
      stop();
      clearTimeout(timer);
      io.signal?.removeEventListener('abort', onAbort);
    });
    const { authorizationUrl } = await opened.remotes.api.signIn({ name });
    io.out(`Open this URL in your browser to sign in to ${name}:\n${authorizationUrl}`);
    io.err('(waiting for the browser to come back; Ctrl-C to give up)');
    if (!(await signedIn)) {
      io.err(`Not signed in: ${oauth.reason(name) ?? 'the browser did not come back'}`);
      return 1;
    }
    io.out(`Signed in to ${name}.`);
    return 0;
  } finally {
    // The browser's page ("Signed in") is still being written: let it finish, briefly.
    const force = setTimeout(() => server.closeAllConnections(), 2000);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    clearTimeout(force);
  }
}

async function signInThroughApp(name: string, io: CliIo, origin: string, token: string, timeoutMs: number) {
  const headers = { authorization: `Bearer ${token}` };
  const base = `${origin}${REMOTE_CONTROL_PREFIX}/${encodeURIComponent(name)}`;
  const started = await fetch(`${base}/signin`, { method: 'POST', headers });
  const body = (await started.json()) as { authorizationUrl?: string; message?: string };
  if (!started.ok || !body.authorizationUrl)
    throw new RemoteAuthError(
      name,
      `the running app refused it: ${body.message ?? `HTTP ${started.status}`}`,
    );
  io.out(`Open this URL in your browser to sign in to ${name}:\n${body.authorizationUrl}`);
  io.err('(the running MCP Dock completes the sign-in; waiting for it, Ctrl-C to stop waiting)');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !io.signal?.aborted) {
    await new Promise((r) => setTimeout(r, 1000));
    const res = await fetch(base, { headers }).catch(() => undefined);
    if (!res?.ok) continue;
    const view = (await res.json()) as RemoteView;
    // The app's sign-in is over once the view no longer offers its URL.
    if (view.signInUrl) continue;
    if (view.signedIn && !/^sign-in (refused|failed)/.test(view.reason ?? '')) {
      io.out(`Signed in to ${name}.`);
      return 0;
    }
    io.err(`Not signed in: ${view.reason ?? 'the sign-in ended without tokens'}`);
    return 1;
  }
  io.err('Not signed in yet: the browser did not come back.');
  return 1;
}
