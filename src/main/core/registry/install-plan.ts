import type { CatalogInput, CatalogOption, InstallKind } from '../../../shared/registry';
import type { RemoteSpecInput } from '../../../shared/remotes';
import type { ServerSpecInput } from '../../../shared/servers';
import { RegistryInstallError } from './registry-errors';
import {
  urlVariables,
  type RegistryPackage,
  type RegistryRemote,
  type RegistryServer,
} from './registry-entry';

export type InstallPlan =
  | { kind: 'container'; spec: ServerSpecInput; secretValues: Record<string, string> }
  | { kind: 'remote'; spec: RemoteSpecInput; secretValues: Record<string, string>; probeAuth: boolean };

export interface InstallImages {
  nodeImage: string;
  pythonImage: string;
}

// Which option an entry installs as when the user does not say: a package MCP Dock runs in a
// container first (it stays on this machine, hardened), then a remote endpoint.
const PREFERENCE: InstallKind[] = ['npm', 'pypi', 'oci', 'remote'];

export function pickOption(options: CatalogOption[], kind: InstallKind | undefined, entry = ''): number {
  const usable = options.map((o, i) => ({ o, i })).filter(({ o }) => !o.unsupported);
  if (kind) {
    const found = usable.find(({ o }) => o.kind === kind);
    if (found) return found.i;
    const listed = options.find((o) => o.kind === kind);
    throw new RegistryInstallError(
      entry,
      listed?.unsupported ?? `it offers no ${kind} option (it offers: ${describe(options)})`,
    );
  }
  for (const want of PREFERENCE) {
    const found = usable.find(({ o }) => o.kind === want);
    if (found) return found.i;
  }
  throw new RegistryInstallError(
    '',
    options.length === 0
      ? 'it lists no package and no remote'
      : `nothing it offers runs here: ${options.map((o) => o.unsupported).join('; ')}`,
  );
}

function describe(options: CatalogOption[]): string {
  return options.map((o) => o.kind).join(', ') || 'nothing';
}

// The values of the inputs an option asks for: given ones, else defaults; required ones missing
// are refused together, each with what the entry says of it.
function resolveInputs(
  inputs: CatalogInput[],
  values: Record<string, string>,
): { plain: Record<string, string>; secret: Record<string, string> } {
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  const missing: string[] = [];
  for (const input of inputs) {
    const value = values[input.name] ?? input.default;
    if (value === undefined || value === '') {
      if (input.required)
        missing.push(input.description ? `${input.name} (${input.description})` : input.name);
      continue;
    }
    (input.secret ? secret : plain)[input.name] = value;
  }
  if (missing.length > 0) throw new RegistryInstallError('', `it needs values for ${missing.join(', ')}`);
  return { plain, secret };
}

function packageArgs(pkg: RegistryPackage, values: Record<string, string>): string[] {
  const args: string[] = [];
  for (const arg of pkg.packageArguments ?? []) {
    const key = arg.name ?? arg.valueHint ?? '';
    const value = arg.value ?? (key ? values[key] : undefined) ?? arg.default;
    if (value === undefined) {
      if (arg.isRequired)
        throw new RegistryInstallError('', `it needs a value for the argument ${key || '(unnamed)'}`);
      continue;
    }
    if (arg.type === 'named' && arg.name) args.push(arg.name, value);
    else args.push(value);
  }
  return args;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export function planContainer(
  server: RegistryServer,
  pkg: RegistryPackage,
  option: CatalogOption,
  name: string,
  values: Record<string, string>,
  images: InstallImages,
): InstallPlan {
  const envInputs = option.inputs.filter((i) => i.source === 'env');
  for (const input of envInputs)
    if (!ENV_NAME.test(input.name))
      throw new RegistryInstallError(server.name, `${input.name} is not an environment variable name`);
  const { plain, secret } = resolveInputs(envInputs, values);
  // Required arguments missing are said with the variables' (resolveInputs refuses them together).
  resolveInputs(
    option.inputs.filter((i) => i.source === 'argument'),
    values,
  );
  const args = packageArgs(pkg, values);
  const description = (server.title ? `${server.title}: ` : '') + server.description;
  const base = {
    name,
    description: description.slice(0, 500),
    env: plain,
    secrets: Object.keys(secret),
  };
  if (option.kind === 'oci') {
    const tagged = /[:@][^/]+$/.test(pkg.identifier);
    return {
      kind: 'container',
      spec: {
        ...base,
        image: tagged || !pkg.version ? pkg.identifier : `${pkg.identifier}:${pkg.version}`,
        mode: 'run',
        command: args,
      },
      secretValues: secret,
    };
  }
  // npm and PyPI packages are fetched when a session starts: their container may reach only
  // the package index, through MCP Dock's egress proxy, and runs them from /tmp.
  const node = option.kind === 'npm';
  return {
    kind: 'container',
    spec: {
      ...base,
      image: node ? images.nodeImage : images.pythonImage,
      command: node
        ? ['npx', '-y', option.target, ...args]
        : ['uvx', pkg.version ? `${pkg.identifier}==${pkg.version}` : pkg.identifier, ...args],
      env: node
        ? { HOME: '/tmp', npm_config_cache: '/tmp/.npm', ...plain }
        : { HOME: '/tmp', UV_CACHE_DIR: '/tmp/.uv-cache', UV_PYTHON_DOWNLOADS: 'never', ...plain },
      network: 'egress',
      egress: node ? ['registry.npmjs.org'] : ['pypi.org', 'files.pythonhosted.org'],
      relax: { tmpExec: true },
    },
    secretValues: secret,
  };
}

export function planRemote(
  server: RegistryServer,
  remote: RegistryRemote,
  option: CatalogOption,
  name: string,
  values: Record<string, string>,
): InstallPlan {
  const variables = urlVariables(remote);
  const secretInUrl = variables.filter((v) => v.secret).map((v) => v.name);
  if (secretInUrl.length > 0)
    throw new RegistryInstallError(
      server.name,
      `its URL carries the secret ${secretInUrl.join(', ')}, which would be stored and shown in plain text; add it by hand with a header secret if the server takes one`,
    );
  const variableNames = new Set(variables.map((v) => v.name));
  const { plain, secret } = resolveInputs(option.inputs, values);
  const url = remote.url.replace(/\{([A-Za-z0-9_.-]+)\}/g, (_, key: string) =>
    encodeURIComponent(plain[key] ?? secret[key] ?? ''),
  );
  const secretHeaders = (remote.headers ?? []).filter((h) => h.name && h.isSecret && secret[h.name]);
  const plainHeaders = (remote.headers ?? []).filter(
    (h) => h.name && !variableNames.has(h.name) && !h.isSecret && plain[h.name],
  );
  if (secretHeaders.length > 1 || plainHeaders.length > 0)
    throw new RegistryInstallError(
      server.name,
      `it needs the headers ${[...secretHeaders, ...plainHeaders].map((h) => h.name).join(', ')}; MCP Dock sends one secret header per remote server`,
    );
  const header = secretHeaders[0];
  const secretName = header
    ? header
        .name!.toUpperCase()
        .replace(/[^A-Z0-9_]/g, '_')
        .replace(/^[^A-Z_]/, '_')
    : undefined;
  const description = (server.title ? `${server.title}: ` : '') + server.description;
  return {
    kind: 'remote',
    spec: {
      name,
      description: description.slice(0, 500),
      url,
      transport: remote.type === 'sse' ? 'sse' : 'streamable-http',
      ...(header && secretName ? { auth: { type: 'header', header: header.name!, secret: secretName } } : {}),
      registryEntry: server.name,
    },
    secretValues: header && secretName ? { [secretName]: secret[header.name!]! } : {},
    // With no key of its own, it may sign in with OAuth: asked of the server at install.
    probeAuth: !header,
  };
}
