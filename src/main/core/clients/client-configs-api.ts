import type { DockImpl } from '../../../shared/contract';
import type { ContainerManager } from '../servers/container-manager';
import type { EngineMonitor } from '../docker/engine-monitor';
import type { ClientId } from '../../../shared/snippets';
import { ClientUnsupportedError } from './client-errors';
import { addToClientConfig, hasClientEntry, removeFromClientConfig } from './client-config';
import { snippetDockerHost } from './lib/snippet-docker-host';
import { clientConfigPath, stdioLaunch, type SnippetContext } from './snippets';

// "Add to client": a server's entry written into (and taken out of) a client's own config file.
export function createClientConfigsApi(
  manager: Pick<ContainerManager, 'view' | 'runIdentity'>,
  engine: Pick<EngineMonitor, 'status'>,
  home?: string,
): DockImpl['clientConfigs'] {
  const ctx = (): SnippetContext => ({ dockerHost: snippetDockerHost(engine), ...(home ? { home } : {}) });
  const pathOf = (client: ClientId) => {
    const path = clientConfigPath(client, ctx());
    if (!path) throw new ClientUnsupportedError();
    return path;
  };
  return {
    async add({ client, server }) {
      const view = manager.view(server);
      const run = view.spec.mode === 'run' ? { run: await manager.runIdentity(server) } : {};
      return addToClientConfig(
        client,
        pathOf(client),
        view.spec.name,
        stdioLaunch(view.spec, view.containerName, { ...ctx(), ...run }),
      );
    },
    async remove({ client, server }) {
      return removeFromClientConfig(client, pathOf(client), server);
    },
    async has({ client, server }) {
      const path = pathOf(client);
      return { path, present: await hasClientEntry(client, path, server) };
    },
  };
}
