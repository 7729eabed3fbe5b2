import type { EngineMonitor } from '../core/docker/engine-monitor';
import { hintForCommand } from '../core/docker/engine-errors';
import { openEngine } from '../core/docker/open-engine';
import { EngineUnavailableError } from '../core/errors';
import { openServers, type Servers } from '../core/servers/open-servers';
import { ServerNames } from '../core/servers/server-names';
import { openRemotes, type Remotes } from '../core/remotes/open-remotes';
import { DEFAULT_HTTP_HOST } from '../core/store/settings';
import type { CliIo } from './io';
import {
  openDataDir,
  openSecrets,
  withOpened,
  type DataDirFlags,
  type OpenedSecrets,
} from './open-capabilities';

export interface EngineFlags extends DataDirFlags {
  // Overrides DOCKER_HOST and the well-known sockets.
  dockerHost?: string | undefined;
}

export interface OpenedServers extends OpenedSecrets {
  engine: EngineMonitor;
  servers: Servers;
  remotes: Remotes;
}

// `servers` and `snippet`: the engine and the servers on it (registry, placements, containers,
// and the secrets they are started with), and the remote servers.
export function withServers<T>(
  io: CliIo,
  flags: EngineFlags,
  work: (opened: OpenedServers) => Promise<T>,
): Promise<T> {
  return withOpened(async (opened) => {
    const base = await openSecrets(await openDataDir(io, flags));
    const engine = opened.push(openEngine({ env: io.env, dockerHost: flags.dockerHost }));
    const names = new ServerNames();
    const servers = opened.push(
      await openServers({
        dataDir: base.dataDir,
        engine,
        secrets: base.secrets,
        names,
        egressProxyImage: base.settings.egress.proxyImage,
      }),
    );
    const remotes = opened.push(
      await openRemotes({
        dataDir: base.dataDir,
        secrets: base.secrets,
        issuer: `http://${DEFAULT_HTTP_HOST}:${base.settings.http.port}`,
        names,
      }),
    );
    return { ...base, engine, servers, remotes };
  }, work);
}

// Commands that change containers need the engine now, and the containers' current states.
export async function requireEngine(opened: Pick<OpenedServers, 'engine' | 'servers'>): Promise<void> {
  const status = await opened.engine.recheck();
  if (status.state !== 'reachable') {
    throw status.state === 'unreachable'
      ? new EngineUnavailableError(status.reason, hintForCommand(status.hint))
      : new EngineUnavailableError('still connecting');
  }
  await opened.servers.containers.refresh();
}
