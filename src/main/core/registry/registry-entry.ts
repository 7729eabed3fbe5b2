import { z } from 'zod';
import type { CatalogEntry, CatalogInput, CatalogOption, InstallKind } from '../../../shared/registry';

// What MCP Dock reads of a server.json (the MCP Registry's entry format). Lenient where the format
// grew over time (unknown fields are dropped, so the cache stays small), strict where a wrong type
// would make a wrong server.
const inputSchema = z.object({
  name: z.string().min(1).max(200).optional(),
  description: z.string().max(2000).optional(),
  isRequired: z.boolean().optional(),
  isSecret: z.boolean().optional(),
  default: z.string().max(2000).optional(),
  value: z.string().max(2000).optional(),
  choices: z.array(z.string()).max(100).optional(),
});

const argumentSchema = z.object({
  type: z.enum(['positional', 'named']).catch('positional'),
  name: z.string().max(200).optional(),
  value: z.string().max(2000).optional(),
  valueHint: z.string().max(200).optional(),
  default: z.string().max(2000).optional(),
  isRequired: z.boolean().optional(),
});

const packageSchema = z.object({
  registryType: z.string().min(1).max(50),
  identifier: z.string().min(1).max(500),
  version: z.string().max(100).optional(),
  runtimeHint: z.string().max(100).optional(),
  transport: z.object({ type: z.string().max(50), url: z.string().max(2048).optional() }).optional(),
  packageArguments: z.array(argumentSchema).max(100).optional(),
  environmentVariables: z.array(inputSchema).max(100).optional(),
});

const remoteSchema = z.object({
  type: z.string().max(50),
  url: z.string().min(1).max(2048),
  headers: z.array(inputSchema).max(50).optional(),
  variables: z.record(z.string(), inputSchema).optional(),
});

export const registryServerSchema = z.object({
  name: z.string().min(1).max(300),
  title: z.string().max(300).optional(),
  description: z.string().max(5000).catch(''),
  version: z.string().max(100).optional(),
  repository: z.object({ url: z.string().max(2048).optional() }).optional(),
  websiteUrl: z.string().max(2048).optional(),
  packages: z.array(packageSchema).max(50).optional(),
  remotes: z.array(remoteSchema).max(50).optional(),
});
export type RegistryServer = z.infer<typeof registryServerSchema>;
export type RegistryPackage = z.infer<typeof packageSchema>;
export type RegistryRemote = z.infer<typeof remoteSchema>;

const KINDS: Record<string, InstallKind> = { oci: 'oci', docker: 'oci', npm: 'npm', pypi: 'pypi' };

// The local name an entry gets unless the user picks one: the last part of its registry name
// (io.github.user/weather-server → weather-server), in the alphabet server names allow.
export function suggestedName(registryName: string): string {
  const last = registryName.split('/').pop() ?? registryName;
  const clean = last
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 63)
    .replace(/[-.]+$/, '');
  return clean || 'server';
}

function input(
  raw: z.infer<typeof inputSchema>,
  fallbackName: string,
  source: CatalogInput['source'],
): CatalogInput {
  return {
    name: raw.name ?? fallbackName,
    source,
    ...(raw.description ? { description: raw.description } : {}),
    required: raw.isRequired === true,
    secret: raw.isSecret === true,
    ...(raw.default !== undefined ? { default: raw.default } : {}),
    ...(raw.choices ? { choices: raw.choices } : {}),
  };
}

// The {name} placeholders of a remote's URL, with what the entry says of each.
export function urlVariables(remote: RegistryRemote): CatalogInput[] {
  const names = [...remote.url.matchAll(/\{([A-Za-z0-9_.-]+)\}/g)].map((m) => m[1]!);
  return [...new Set(names)].map((name) => ({
    ...input(remote.variables?.[name] ?? {}, name, 'url'),
    name,
    required: true,
  }));
}

function packageOption(pkg: RegistryPackage): CatalogOption {
  const kind = KINDS[pkg.registryType.toLowerCase()];
  const transport = pkg.transport?.type ?? 'stdio';
  const target = kind === 'oci' || !pkg.version ? pkg.identifier : `${pkg.identifier}@${pkg.version}`;
  const inputs = [
    ...(pkg.environmentVariables ?? []).filter((v) => v.name).map((v) => input(v, v.name!, 'env')),
    // Arguments the entry leaves to the user (no fixed value): asked for like the variables.
    ...(pkg.packageArguments ?? [])
      .filter((a) => a.value === undefined && (a.name ?? a.valueHint))
      .map((a) => ({
        name: (a.name ?? a.valueHint)!,
        source: 'argument' as const,
        required: a.isRequired === true && a.default === undefined,
        secret: false,
        ...(a.default !== undefined ? { default: a.default } : {}),
      })),
  ];
  const unsupported = !kind
    ? `${pkg.registryType} packages are not run by MCP Dock (it runs oci, npm and pypi packages)`
    : transport !== 'stdio'
      ? `the package serves ${transport} from inside its container; MCP Dock runs stdio servers in containers (use the entry's remote, if it has one)`
      : undefined;
  return {
    kind: kind ?? 'oci',
    target,
    transport,
    inputs,
    ...(unsupported ? { unsupported } : {}),
  };
}

function remoteOption(remote: RegistryRemote): CatalogOption {
  const supported = remote.type === 'streamable-http' || remote.type === 'sse';
  return {
    kind: 'remote',
    target: remote.url,
    transport: remote.type,
    inputs: [
      ...urlVariables(remote),
      ...(remote.headers ?? []).filter((h) => h.name).map((h) => input(h, h.name!, 'header')),
    ],
    ...(supported ? {} : { unsupported: `remote transport ${remote.type} is not one MCP Dock speaks` }),
  };
}

export function toCatalogEntry(server: RegistryServer): CatalogEntry {
  return {
    name: server.name,
    ...(server.title ? { title: server.title } : {}),
    description: server.description,
    ...(server.version ? { version: server.version } : {}),
    ...(server.repository?.url ? { repository: server.repository.url } : {}),
    ...(server.websiteUrl ? { websiteUrl: server.websiteUrl } : {}),
    options: [...(server.packages ?? []).map(packageOption), ...(server.remotes ?? []).map(remoteOption)],
    suggestedName: suggestedName(server.name),
  };
}

// Whether an entry matches a search: every word appears in its name, title or description.
export function matches(server: RegistryServer, words: string[]): boolean {
  if (words.length === 0) return true;
  const haystack = `${server.name} ${server.title ?? ''} ${server.description}`.toLowerCase();
  return words.every((w) => haystack.includes(w));
}

export function searchWords(text: string | undefined): string[] {
  return (text ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0);
}
