import type { DockImpl } from '../../../shared/contract';
import { RenameBlockedError } from '../errors';
import type { SecretStore } from '../secrets/secret-store';
import { checkSecretNames } from './check-secret-names';
import { moveSecrets, setSecrets, setSecretsOrUndo } from './server-secrets';
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
      await setSecretsOrUndo(secrets, spec.name, secretValues, () => registry.remove(spec.name));
      return manager.view(spec.name);
    },
    async update({ name, spec, secretValues }) {
      checkSecretNames(spec.secrets, secretValues);
      const before = manager.view(name);
      if (spec.name !== name && before.container.state !== 'absent')
        throw new RenameBlockedError(name, before.container.state !== 'unknown');
      await registry.update(name, spec);
      if (spec.name !== name) await moveSecrets(secrets, name, spec.name);
      await setSecrets(secrets, spec.name, secretValues);
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
