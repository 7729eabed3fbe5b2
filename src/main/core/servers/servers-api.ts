import type { DockImpl } from '../../../shared/contract';
import { RenameBlockedError } from '../errors';
import type { SecretStore } from '../secrets/secret-store';
import { checkSecretNames } from './check-secret-names';
import type { ContainerManager } from './container-manager';
import type { ServerRegistry } from './server-registry';

// The contract's servers domain over the registry, the secret store and the container manager.
export function createServersApi(
  registry: ServerRegistry,
  secrets: SecretStore,
  manager: ContainerManager,
): DockImpl['servers'] {
  return {
    list: async () => manager.list(),
    async add({ spec, secretValues }) {
      checkSecretNames(spec.secrets, secretValues);
      await registry.add(spec);
      try {
        for (const [key, value] of Object.entries(secretValues ?? {}))
          await secrets.set(spec.name, key, value);
      } catch (error) {
        // All or nothing: a server whose secrets could not be stored is not left behind.
        await secrets.remove(spec.name).catch(() => undefined);
        await registry.remove(spec.name).catch(() => undefined);
        throw error;
      }
      return manager.view(spec.name);
    },
    async update({ name, spec, secretValues }) {
      checkSecretNames(spec.secrets, secretValues);
      const before = manager.view(name);
      if (spec.name !== name && before.container.state !== 'absent')
        throw new RenameBlockedError(name, before.container.state !== 'unknown');
      await registry.update(name, spec);
      if (spec.name !== name) {
        const carried = await secrets.values(name, secrets.names(name));
        for (const [key, value] of Object.entries(carried)) await secrets.set(spec.name, key, value);
        await secrets.remove(name);
      }
      for (const [key, value] of Object.entries(secretValues ?? {})) await secrets.set(spec.name, key, value);
      // Secrets no longer declared are dropped rather than kept around unused.
      for (const key of secrets.names(spec.name))
        if (!spec.secrets.includes(key)) await secrets.remove(spec.name, key);
      return manager.view(spec.name);
    },
    async remove({ name }) {
      await manager.removeServer(name);
      return null;
    },
    start: ({ name, onClash, waitForProbe }) =>
      manager.start(name, { onClash, waitForProbe: waitForProbe === true }),
    stop: ({ name }) => manager.stop(name),
    restart: ({ name, onClash, waitForProbe }) =>
      manager.restart(name, { onClash, waitForProbe: waitForProbe === true }),
    removeContainer: ({ name }) => manager.removeContainer(name),
    async pull({ name }) {
      await manager.pull(name);
      return null;
    },
    probe: ({ name }) => manager.probe(name),
    logs: async ({ name }) => manager.logs(name),
    orphans: () => manager.orphans(),
    async removeOrphan({ id }) {
      await manager.removeOrphan(id);
      return null;
    },
    onChanged: (listener) => manager.onChanged(listener),
    onPullProgress: (listener) => manager.onPullProgress(listener),
    onLogs: (listener) => manager.onLogs(listener),
  };
}
