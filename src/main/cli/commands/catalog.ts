import { z } from 'zod';
import {
  installKindSchema,
  registryUrlSchema,
  type CatalogEntry,
  type CatalogPage,
} from '../../../shared/registry';
import { serverNameSchema } from '../../../shared/servers';
import { UsageError } from '../../core/errors';
import { pickOption } from '../../core/registry/install-plan';
import { openRegistry } from '../../core/registry/open-registry';
import type { CliIo } from '../io';
import { parseFlags } from '../parse';
import { sharedFlags } from '../shared-flags';
import { withServers } from '../with-servers';

const USAGE = `Usage:
  mcp-dock catalog search [TEXT] [--registry URL] [--limit N] [--cursor C] [--json]
  mcp-dock catalog add ENTRY_NAME [--as NAME] [--registry URL] [--kind npm|pypi|oci|remote]
                       [--set NAME=VALUE]...

Servers from an MCP registry (settings.json registry.urls; the official registry by default).
search lists entries whose name, title or description has every word of TEXT, with how each
installs; without the registry (offline) it answers from the last listing kept, and says so.
add installs ENTRY_NAME (e.g. io.github.user/weather): an npm package runs with npx in a Node
image, a PyPI package with uvx in a Python image (each on an allow-listed network that reaches
only its package index), an OCI package as its own image with no network, a remote endpoint as a
remote server. The values it asks for come from environment variables of the same name (secret
ones go to the secret store) or, for values that are not secret (URL variables, arguments),
--set NAME=VALUE.`;

const common = { ...sharedFlags, 'docker-host': { type: 'string' }, registry: { type: 'string' } } as const;
const commonSchema = {
  'data-dir': z.string().min(1).optional(),
  'docker-host': z.string().min(1).optional(),
  registry: registryUrlSchema.optional(),
  json: z.boolean(),
  help: z.boolean(),
};

// The Catalog over this data directory's servers and remotes, closed when the work ends. A
// command only asks what it needs: no full listing in the background.
function withCatalog(
  io: CliIo,
  options: { 'data-dir'?: string | undefined; 'docker-host'?: string | undefined },
  work: (catalog: ReturnType<typeof openRegistry>) => Promise<number>,
): Promise<number> {
  return withServers(
    io,
    { dataDir: options['data-dir'], dockerHost: options['docker-host'] },
    async (opened) => {
      const registry = openRegistry({
        dataDir: opened.dataDir,
        settings: () => opened.settings.registry,
        servers: opened.servers.api,
        remotes: opened.remotes.api,
        background: false,
      });
      try {
        return await work(registry);
      } finally {
        registry.close();
      }
    },
  );
}

function describeEntry(entry: CatalogEntry): string[] {
  const head = `${entry.name}${entry.version ? ` ${entry.version}` : ''}${entry.title ? ` (${entry.title})` : ''}`;
  const lines = [head, `  ${entry.description}`];
  for (const option of entry.options) {
    const inputs = option.inputs.map(
      (i) => `${i.name}${i.secret ? ' (secret)' : ''}${i.required ? '' : '?'}`,
    );
    lines.push(
      `  ${option.kind}: ${option.target}${inputs.length ? `  needs ${inputs.join(', ')}` : ''}${option.unsupported ? `  [not here: ${option.unsupported}]` : ''}`,
    );
  }
  lines.push(
    `  add: mcp-dock catalog add ${entry.name}${entry.suggestedName ? ` (as ${entry.suggestedName})` : ''}`,
  );
  return lines;
}

function printPage(io: CliIo, page: CatalogPage): void {
  for (const entry of page.entries) for (const line of describeEntry(entry)) io.out(line);
  if (page.entries.length === 0) io.out('(no entries match)');
  if (page.nextCursor) io.out(`more: --cursor ${page.nextCursor}`);
  if (page.source === 'cache')
    io.err(
      `(from the listing of ${page.registry} kept at ${page.fetchedAt}${page.stale ? ', which may be out of date' : ''}${page.error ? `: ${page.error}` : ''})`,
    );
}

async function search(argv: string[], io: CliIo): Promise<number> {
  const text = argv[0] && !argv[0].startsWith('-') ? argv[0] : undefined;
  const options = parseFlags(
    text === undefined ? argv : argv.slice(1),
    { ...common, limit: { type: 'string' }, cursor: { type: 'string' } },
    z.object({
      ...commonSchema,
      limit: z.coerce.number().int().min(1).max(100).optional(),
      cursor: z.string().max(2000).optional(),
    }),
    USAGE,
  );
  return withCatalog(io, options, async (catalog) => {
    const page = await catalog.api.search({
      ...(text ? { text } : {}),
      ...(options.registry ? { registry: options.registry } : {}),
      ...(options.limit ? { limit: options.limit } : {}),
      ...(options.cursor ? { cursor: options.cursor } : {}),
    });
    if (options.json) io.out(JSON.stringify(page));
    else printPage(io, page);
    return 0;
  });
}

async function add(argv: string[], io: CliIo): Promise<number> {
  const [entry, ...rest] = argv;
  if (!entry || entry.startsWith('-')) throw new UsageError(`catalog add needs an ENTRY_NAME\n${USAGE}`);
  const options = parseFlags(
    rest,
    { ...common, as: { type: 'string' }, kind: { type: 'string' }, set: { type: 'string', multiple: true } },
    z.object({
      ...commonSchema,
      as: serverNameSchema.optional(),
      kind: installKindSchema.optional(),
      set: z.array(z.string().regex(/^[^=]+=/, 'use --set NAME=VALUE')).optional(),
    }),
    USAGE,
  );
  return withCatalog(io, options, async (catalog) => {
    // What the entry asks for: secret and environment values from the environment (never from
    // the command line, where other users' `ps` sees them), anything with --set. Only the names
    // the chosen option declares for the environment or a header are read from the environment:
    // a URL variable or an argument named like one of your variables gets nothing unasked.
    const described = await catalog.entry(entry, options.registry);
    const option = described.options[pickOption(described.options, options.kind, described.name)]!;
    const values: Record<string, string> = {};
    for (const input of option.inputs) {
      const fromEnv = io.env[input.name];
      if ((input.source === 'env' || input.source === 'header') && fromEnv !== undefined)
        values[input.name] = fromEnv;
    }
    for (const pair of options.set ?? [])
      values[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
    const added = await catalog.api.add({
      entry,
      ...(options.as ? { as: options.as } : {}),
      ...(options.registry ? { registry: options.registry } : {}),
      kind: option.kind,
      values,
    });
    if (options.json) {
      io.out(JSON.stringify(added));
      return 0;
    }
    if (added.kind === 'container') {
      const spec = added.server.spec;
      const network = `network ${spec.network}${spec.egress.length ? `: ${spec.egress.join(', ')}` : ''}`;
      io.out(`Added ${spec.name} from ${entry}: ${spec.image} (${spec.mode} mode, ${network}).`);
      io.out(`Start it with: mcp-dock servers start ${spec.name}`);
    } else {
      const spec = added.remote.spec;
      io.out(`Added the remote server ${spec.name} from ${entry}: ${spec.url}.`);
      if (spec.auth.type === 'oauth') io.out(`It signs in with OAuth: mcp-dock servers signin ${spec.name}`);
    }
    return 0;
  });
}

export async function catalog(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'search':
      return search(rest, io);
    case 'add':
      return add(rest, io);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.out(USAGE);
      return sub === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown catalog subcommand "${sub}"\n${USAGE}`);
  }
}
