import { join } from 'node:path';

export interface EngineEndpoint {
  // unix:///path, npipe:////./pipe/name, tcp://host:port, ssh://user@host
  readonly url: string;
  // Why we look here: shown to the user next to the status.
  readonly source: string;
}

export interface EndpointContext {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
  // An explicit setting (createCore's dockerHost) beats the environment.
  override?: string | undefined;
}

// Where engines listen by default. DOCKER_HOST (or an explicit setting) is the user's choice and
// is then the only place we look; otherwise we try the well-known sockets in order, so Docker
// Engine, Docker Desktop, Podman, Colima, Rancher Desktop and OrbStack all work unconfigured.
export function listEngineEndpoints({ env, platform, home, override }: EndpointContext): EngineEndpoint[] {
  if (override) return [{ url: normalizeHost(override), source: 'setting' }];
  if (env.DOCKER_HOST) return [{ url: normalizeHost(env.DOCKER_HOST), source: 'DOCKER_HOST' }];

  if (platform === 'win32') {
    return [
      { url: 'npipe:////./pipe/docker_engine', source: 'Docker Desktop' },
      { url: 'npipe:////./pipe/podman-machine-default', source: 'Podman' },
    ];
  }

  const sock = (path: string, source: string): EngineEndpoint => ({ url: `unix://${path}`, source });
  const runtime = env.XDG_RUNTIME_DIR;
  const candidates: EngineEndpoint[] = [sock('/var/run/docker.sock', 'default socket')];
  if (platform === 'darwin') {
    candidates.push(sock(join(home, '.docker/run/docker.sock'), 'Docker Desktop'));
  } else {
    candidates.push(sock(join(home, '.docker/desktop/docker.sock'), 'Docker Desktop'));
    if (runtime) candidates.push(sock(join(runtime, 'docker.sock'), 'rootless Docker'));
    if (runtime) candidates.push(sock(join(runtime, 'podman/podman.sock'), 'Podman'));
    candidates.push(sock('/run/podman/podman.sock', 'Podman'));
  }
  candidates.push(
    sock(join(home, '.colima/default/docker.sock'), 'Colima'),
    sock(join(home, '.colima/docker.sock'), 'Colima'),
    sock(join(home, '.rd/docker.sock'), 'Rancher Desktop'),
    sock(join(home, '.orbstack/run/docker.sock'), 'OrbStack'),
  );
  if (platform === 'darwin') {
    candidates.push(sock(join(home, '.local/share/containers/podman/machine/podman.sock'), 'Podman'));
  }
  return candidates;
}

// Docker accepts a bare socket path in some tools; we always show and compare URLs.
function normalizeHost(host: string): string {
  const trimmed = host.trim();
  if (trimmed.startsWith('/')) return `unix://${trimmed}`;
  return trimmed;
}

export function socketPathOf(url: string): string | undefined {
  if (url.startsWith('unix://')) return url.slice('unix://'.length);
  if (url.startsWith('npipe://')) return url.slice('npipe://'.length);
  return undefined;
}
