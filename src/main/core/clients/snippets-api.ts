import type { DockImpl } from '../../../shared/contract';
import type { ContainerManager } from '../docker/container-manager';
import type { EngineMonitor } from '../docker/engine-monitor';
import { buildSnippet } from './snippets';

// The docker CLI in a client finds the default engine by itself; a DOCKER_HOST MCP Dock was told
// about must travel with the snippet so the client reaches the same engine.
export function snippetDockerHost(engine: EngineMonitor): string | undefined {
  const status = engine.status();
  return status.source === 'DOCKER_HOST' || status.source === 'setting' ? status.endpoint : undefined;
}

export function createSnippetsApi(manager: ContainerManager, engine: EngineMonitor): DockImpl['snippets'] {
  return {
    async get({ client, server }) {
      const view = manager.view(server);
      return buildSnippet(client, view.spec, view.containerName, { dockerHost: snippetDockerHost(engine) });
    },
  };
}
