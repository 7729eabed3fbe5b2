import { join } from 'node:path';
import type { DockImpl } from '../../../shared/contract';
import type { EngineMonitor } from '../docker/engine-monitor';
import { openInstanceId } from '../docker/instance-id';
import type { SecretStore } from '../secrets/secret-store';
import { followFile, type FileFollowers } from '../store/follow-file';
import { builtInCatalog } from './catalog';
import { createContainerManager, type ContainerManager } from './container-manager';
import { openPlacements } from './placements';
import type { ServerNames } from './server-names';
import { openServerRegistry, type ServerRegistry } from './server-registry';
import { createServersApi } from './servers-api';

export interface ServersDeps {
  dataDir: string;
  engine: EngineMonitor;
  secrets: SecretStore;
  // The name space shared with remote servers.
  names?: ServerNames | undefined;
  probeTimeoutMs?: number | undefined;
  // settings.json's egress.proxyImage.
  egressProxyImage?: string | undefined;
}

export interface Servers {
  api: DockImpl['servers'];
  // For the capabilities that use servers' containers: the gateway's pool, the snippets.
  containers: ContainerManager;
  registry: ServerRegistry;
  // For the data directory's watcher, per file name: takes in what another process (the CLI)
  // wrote and refreshes the views. Our own writes are in memory already and are skipped.
  followers: FileFollowers;
  close(): Promise<void>;
}

// The servers capability: the built-in catalog and the user's servers (servers.json), where
// their containers live (placements.json), this data directory's instance id, and the
// containers' lifecycle on the engine, behind the contract's servers domain.
export async function openServers(deps: ServersDeps): Promise<Servers> {
  const { dataDir, engine, secrets } = deps;
  const registry = await openServerRegistry(dataDir, builtInCatalog(), deps.names);
  const placements = await openPlacements(dataDir);
  const instance = await openInstanceId(dataDir);
  const containers = createContainerManager({
    engine,
    registry,
    secrets,
    placements,
    instance,
    sessionLogDir: join(dataDir, 'logs'),
    egressProxyImage: deps.egressProxyImage,
    ...(deps.probeTimeoutMs ? { probeTimeoutMs: deps.probeTimeoutMs } : {}),
  });
  const refresh = () => containers.refresh();
  return {
    api: createServersApi(registry, secrets, containers),
    containers,
    registry,
    followers: {
      'servers.json': followFile(registry, refresh),
      'placements.json': followFile(placements, refresh),
    },
    close: async () => containers.close(),
  };
}
