import type Docker from 'dockerode';
import { containerNameOf, type ServerSpec } from '../../../shared/servers';
import { labelsFor } from './labels';

export const TMPFS_OPTIONS = 'rw,nosuid,nodev,size=64m';

// The hardened container for a server: no capabilities, no privilege escalation, read-only root
// with a small tmpfs /tmp, bounded memory, CPU and pids, no network unless asked, nothing from the
// host's environment, never the Docker socket. Each relaxation is an explicit field of the spec.
export function hardenedHostConfig(spec: ServerSpec): Docker.HostConfig {
  return {
    CapDrop: ['ALL'],
    SecurityOpt: spec.relax.allowPrivilegeEscalation ? [] : ['no-new-privileges'],
    ReadonlyRootfs: !spec.relax.writableRootfs,
    Tmpfs: { '/tmp': TMPFS_OPTIONS },
    Memory: spec.limits.memoryMb * 1024 * 1024,
    MemorySwap: spec.limits.memoryMb * 1024 * 1024,
    NanoCpus: Math.round(spec.limits.cpus * 1e9),
    PidsLimit: spec.limits.pids,
    NetworkMode: spec.network,
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

// exec mode: one long-running container that client sessions `docker exec -i` into.
export function execModeCreateOptions(
  spec: ServerSpec,
  image: string,
  secrets: Record<string, string>,
  instance: string,
): Docker.ContainerCreateOptions {
  return {
    name: containerNameOf(spec),
    Image: image,
    Cmd: spec.keepAlive,
    Env: containerEnv(spec, secrets),
    Labels: labelsFor(spec, instance),
    HostConfig: hardenedHostConfig(spec),
    AttachStdin: false,
    OpenStdin: false,
    Tty: false,
  };
}

// run mode and probes of it: a throwaway container whose stdin/stdout are the MCP stream.
export function sessionCreateOptions(
  spec: ServerSpec,
  image: string,
  secrets: Record<string, string>,
  instance: string,
): Docker.ContainerCreateOptions {
  return {
    Image: image,
    Cmd: spec.command,
    Env: containerEnv(spec, secrets),
    Labels: { ...labelsFor(spec, instance), 'io.mcp-dock.session': 'probe' },
    HostConfig: { ...hardenedHostConfig(spec), AutoRemove: true },
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    StdinOnce: true,
    Tty: false,
  };
}

// The same hardening as `docker run` flags, for run-mode snippets.
export function dockerRunArgs(spec: ServerSpec): string[] {
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
  args.push('--cap-drop', 'ALL');
  if (!spec.relax.allowPrivilegeEscalation) args.push('--security-opt', 'no-new-privileges');
  if (!spec.relax.writableRootfs) args.push('--read-only');
  args.push('--tmpfs', `/tmp:${TMPFS_OPTIONS}`);
  args.push('--network', spec.network);
  args.push('--memory', `${spec.limits.memoryMb}m`, '--memory-swap', `${spec.limits.memoryMb}m`);
  args.push('--cpus', String(spec.limits.cpus), '--pids-limit', String(spec.limits.pids));
  for (const [k, v] of Object.entries(spec.env)) args.push('-e', `${k}=${v}`);
  args.push(spec.image, ...spec.command);
  return args;
}
