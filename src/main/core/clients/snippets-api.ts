import type { DockImpl } from '../../../shared/contract';
import type { ContainerManager } from '../servers';
import type { EngineMonitor } from '../docker/engine-monitor';
import { DockError } from '../../../shared/errors';
import type { ClientId } from '../../../shared/snippets';
import { addToClientConfig, hasClientEntry, removeFromClientConfig } from './client-config';
import { buildSnippet, clientConfigPath, stdioLaunch, type SnippetContext } from './snippets';

// The docker CLI in a client finds the default engine by itself; a DOCKER_HOST MCP Dock was told
// about must travel with the snippet so the client reaches the same engine.
export function snippetDockerHost(engine: EngineMonitor): string | undefined {
  const status = engine.status();
  return status.source === 'DOCKER_HOST' || status.source === 'setting' ? status.endpoint : undefined;
}

export function createSnippetsApi(
  manager: ContainerManager,
  engine: EngineMonitor,
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

export function createClientsApi(
  manager: ContainerManager,
  engine: EngineMonitor,
  home?: string,
): DockImpl['clients'] {
  const ctx = (): SnippetContext => ({ dockerHost: snippetDockerHost(engine), ...(home ? { home } : {}) });
  const pathOf = (client: ClientId) => {
    const path = clientConfigPath(client, ctx());
    if (!path)
      throw new DockError(
        'CLIENT_UNSUPPORTED',
        'Claude Code keeps its own server list: run the `claude mcp add ...` command from the snippet instead.',
      );
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
