import type Docker from 'dockerode';
import { containerNameOf, type ServerSpec } from '../../../shared/servers';
import { EGRESS_PROXY_ALIAS, egressEnv, egressNetworkName, type EgressRoute } from './egress/egress-proxies';
import { EGRESS_PROXY_ADDRESS, INSTANCE, labelsFor } from './labels';

// Programs are not run from /tmp (noexec) unless the spec relaxes it: a writable place that can
// also execute is where a compromised server would drop and run its payload. Docker adds noexec
// to tmpfs mounts by default, so relaxing takes an explicit `exec`; saying noexec ourselves keeps
// it when an engine's defaults differ. (The mount's mode is the image's /tmp, 1777 in every
// distribution image: the engine copies it over any mode= option.)
export function tmpfsOptions(spec: ServerSpec): string {
  return `rw,${spec.relax.tmpExec ? 'exec' : 'noexec'},nosuid,nodev,size=64m`;
}

// Docker's json-file log grows without bound by default; a chatty server could fill the disk.
export const LOG_MAX_SIZE = '10m';
export const LOG_MAX_FILES = '3';
const LOG_CONFIG: Docker.HostConfig['LogConfig'] = {
  Type: 'json-file',
  Config: { 'max-size': LOG_MAX_SIZE, 'max-file': LOG_MAX_FILES },
};

// The user a server runs as when neither its spec nor its image names a non-root one: nobody,
// which exists (or needs not exist: a bare uid works) in every image.
export const NON_ROOT_DEFAULT = '65534:65534';

export function isRootUser(user: string | undefined): boolean {
  const name = (user ?? '').split(':')[0]!;
  return name === '' || name === 'root' || name === '0';
}

// Who the server runs as: the spec's user when set (root only this way, by name); otherwise the
// image's own user if it is not root (the image's author chose it and owns its files for it);
// otherwise nobody. An image that only works as root says so in its failure, and its spec can
// then name `root`.
export function effectiveUser(spec: ServerSpec, imageUser: string | undefined): string {
  if (spec.user) return spec.user;
  if (imageUser && !isRootUser(imageUser)) return imageUser;
  return NON_ROOT_DEFAULT;
}

// The hardened container for a server: no capabilities, no privilege escalation, read-only root
// with a small noexec tmpfs /tmp, bounded memory, CPU, pids and log, no network unless asked,
// nothing from the host's environment, never the Docker socket. Each relaxation is an explicit
// field of the spec.
export function hardenedHostConfig(spec: ServerSpec): Docker.HostConfig {
  return {
    CapDrop: ['ALL'],
    SecurityOpt: spec.relax.allowPrivilegeEscalation ? [] : ['no-new-privileges'],
    ReadonlyRootfs: !spec.relax.writableRootfs,
    Tmpfs: { '/tmp': tmpfsOptions(spec) },
    Memory: spec.limits.memoryMb * 1024 * 1024,
    MemorySwap: spec.limits.memoryMb * 1024 * 1024,
    NanoCpus: Math.round(spec.limits.cpus * 1e9),
    PidsLimit: spec.limits.pids,
    // "egress" is not an engine network: without its isolated network (withEgress), no network at all.
    NetworkMode: spec.network === 'egress' ? 'none' : spec.network,
    LogConfig: LOG_CONFIG,
    // A real PID 1 forwards SIGTERM, so stopping takes a moment rather than the 10 s kill timeout.
    Init: true,
    Binds: [],
    Privileged: false,
    RestartPolicy: { Name: 'no' },
  };
}

export function containerEnv(spec: ServerSpec, secrets: Record<string, string>): string[] {
  return [...Object.entries(spec.env), ...Object.entries(secrets)].map(([k, v]) => `${k}=${v}`);
}

// A container of an allow-listed server joins its isolated network, with its proxy in the
// environment; every other container keeps what hardenedHostConfig gave it.
function withEgress(options: Docker.ContainerCreateOptions, route: EgressRoute | undefined) {
  if (!route) return options;
  return {
    ...options,
    Env: [...(options.Env ?? []), ...route.env],
    Labels: { ...options.Labels, [EGRESS_PROXY_ADDRESS]: route.proxyAddress },
    HostConfig: {
      ...options.HostConfig,
      NetworkMode: route.network,
      ExtraHosts: [`${EGRESS_PROXY_ALIAS}:${route.proxyAddress}`],
    },
  };
}

// exec mode: one long-running container that client sessions `docker exec -i` into.
export function execModeCreateOptions(
  spec: ServerSpec,
  image: string,
  secrets: Record<string, string>,
  instance: string,
  user: string,
  egress?: EgressRoute,
): Docker.ContainerCreateOptions {
  return withEgress(
    {
      name: containerNameOf(spec),
      Image: image,
      Cmd: spec.keepAlive,
      Env: containerEnv(spec, secrets),
      Labels: labelsFor(spec, instance),
      User: user,
      // The engine brings the container back after it restarts (or the machine reboots), with or
      // without MCP Dock running; a stop by the user (MCP Dock's Stop, or `docker stop`) is
      // recorded by the engine and kept.
      HostConfig: { ...hardenedHostConfig(spec), RestartPolicy: { Name: 'unless-stopped' } },
      AttachStdin: false,
      OpenStdin: false,
      Tty: false,
    },
    egress,
  );
}

// run mode and probes of it: a throwaway container whose stdin/stdout are the MCP stream.
export function sessionCreateOptions(
  spec: ServerSpec,
  image: string,
  secrets: Record<string, string>,
  instance: string,
  user: string,
  egress?: EgressRoute,
): Docker.ContainerCreateOptions {
  return withEgress(
    {
      Image: image,
      // None given: the image's own command (an OCI package's server).
      ...(spec.command.length > 0 ? { Cmd: spec.command } : {}),
      Env: containerEnv(spec, secrets),
      Labels: { ...labelsFor(spec, instance), 'io.mcp-dock.session': 'probe' },
      User: user,
      HostConfig: { ...hardenedHostConfig(spec), AutoRemove: true },
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      OpenStdin: true,
      StdinOnce: true,
      Tty: false,
    },
    egress,
  );
}

// The same hardening as `docker run` flags, for run-mode snippets.
export function dockerRunArgs(
  spec: ServerSpec,
  ctx: { user: string; instance?: string | undefined },
): string[] {
  const args = [
    'run',
    '-i',
    '--rm',
    '--init',
    '--label',
    'io.mcp-dock.managed=true',
    '--label',
    `io.mcp-dock.server=${spec.name}`,
  ];
  if (ctx.instance) args.push('--label', `${INSTANCE}=${ctx.instance}`);
  args.push('--user', ctx.user);
  args.push('--cap-drop', 'ALL');
  if (!spec.relax.allowPrivilegeEscalation) args.push('--security-opt', 'no-new-privileges');
  if (!spec.relax.writableRootfs) args.push('--read-only');
  args.push('--tmpfs', `/tmp:${tmpfsOptions(spec)}`);
  // An allow-listed server's snippet joins the isolated network MCP Dock made for it, whose proxy
  // runs while the server is started in MCP Dock.
  args.push('--network', spec.network === 'egress' ? egressNetworkName(containerNameOf(spec)) : spec.network);
  if (spec.network === 'egress') for (const pair of egressEnv()) args.push('-e', pair);
  args.push('--memory', `${spec.limits.memoryMb}m`, '--memory-swap', `${spec.limits.memoryMb}m`);
  args.push('--cpus', String(spec.limits.cpus), '--pids-limit', String(spec.limits.pids));
  args.push('--log-driver', 'json-file', '--log-opt', `max-size=${LOG_MAX_SIZE}`);
  args.push('--log-opt', `max-file=${LOG_MAX_FILES}`);
  for (const [k, v] of Object.entries(spec.env)) args.push('-e', `${k}=${v}`);
  args.push(spec.image, ...spec.command);
  return args;
}
