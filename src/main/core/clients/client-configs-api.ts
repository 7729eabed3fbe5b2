import type { DockImpl } from '../../../shared/contract';
import type { ContainerManager } from '../servers/container-manager';
import type { EngineMonitor } from '../docker/engine-monitor';
import type { ClientId } from '../../../shared/snippets';
import { ClientUnsupportedError, GatewayEntryUnavailableError } from './client-errors';
import {
  addEntryToClientConfig,
  addToClientConfig,
  hasClientEntry,
  removeFromClientConfig,
} from './client-config';
import type { ClientEntry } from './client-kinds';
import type { GatewayTarget } from '../../../shared/gateway';
import { snippetDockerHost } from './lib/snippet-docker-host';
import { clientConfigPath, stdioLaunch, type SnippetContext } from './snippets';

// "Add to client": a server's entry, or the gateway's (/mcp or a profile's endpoint), written into
// (and taken out of) a client's own config file.
export function createClientConfigsApi(
  manager: Pick<ContainerManager, 'view' | 'runIdentity'>,
  engine: Pick<EngineMonitor, 'status'>,
  home?: string,
  gatewayEntry?: (profile?: string) => ClientEntry,
): DockImpl['clientConfigs'] {
  const ctx = (): SnippetContext => ({ dockerHost: snippetDockerHost(engine), ...(home ? { home } : {}) });
  const pathOf = (client: ClientId) => {
    const path = clientConfigPath(client, ctx());
    if (!path) throw new ClientUnsupportedError(client);
    return path;
  };
  const gateway = (target: GatewayTarget): ClientEntry => {
    if (!gatewayEntry) throw new GatewayEntryUnavailableError();
    return gatewayEntry(target.profile);
  };
  return {
    async add(input) {
      const { client } = input;
      if ('gateway' in input)
        return addEntryToClientConfig(client, pathOf(client), gateway(input.gateway), input.gateway.form);
      const { server } = input;
      const view = manager.view(server);
      const run = view.spec.mode === 'run' ? { run: await manager.runIdentity(server) } : {};
      return addToClientConfig(
        client,
        pathOf(client),
        view.spec.name,
        stdioLaunch(view.spec, view.containerName, { ...ctx(), ...run }),
      );
    },
    async remove(input) {
      const name = 'gateway' in input ? gateway(input.gateway).name : input.server;
      return removeFromClientConfig(input.client, pathOf(input.client), name);
    },
    async has(input) {
      const path = pathOf(input.client);
      const name = 'gateway' in input ? gateway(input.gateway).name : input.server;
      return { path, present: await hasClientEntry(input.client, path, name) };
    },
  };
}
