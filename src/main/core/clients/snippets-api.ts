import type { DockImpl } from '../../../shared/contract';
import type { ContainerManager } from '../servers';
import type { EngineMonitor } from '../docker/engine-monitor';
import { snippetDockerHost } from './lib/snippet-docker-host';
import { buildSnippet } from './snippets';

// What to paste into a client for one server on its own.
export function createSnippetsApi(
  manager: Pick<ContainerManager, 'view' | 'runIdentity'>,
  engine: Pick<EngineMonitor, 'status'>,
  home?: string,
): DockImpl['snippets'] {
  return {
    async get({ client, server }) {
      const view = manager.view(server);
      return buildSnippet(client, view.spec, view.containerName, {
        dockerHost: snippetDockerHost(engine),
        ...(home ? { home } : {}),
        ...(view.spec.mode === 'run' ? { run: await manager.runIdentity(server) } : {}),
      });
    },
  };
}
