import type Docker from 'dockerode';
import type { ClashChoice, ServerSpec } from '../../../shared/servers';
import { inspectContainer, type ContainerFacts } from '../docker/inspect-container';
import { forceRemoveContainer } from '../docker/remove-container';
import { NameClashError, NoFreeContainerNameError } from '../errors';
import type { ContainerOwnership } from './container-ownership';
import type { Placements } from './placements';

export interface NameClashDeps {
  ownership: ContainerOwnership;
  placements: Placements;
}

async function freeName(docker: Docker, base: string): Promise<string> {
  for (let i = 2; i < 100; i++) {
    const candidate = `${base}-${i}`;
    if (!(await inspectContainer(docker, candidate))) return candidate;
  }
  throw new NoFreeContainerNameError(base);
}

// Resolves what is at the server's container name, per the user's clash choice, to one of:
// nothing there (create ours), ours, or adopted. Someone else's container is never touched
// without a choice: without one, the clash is the error.
export async function resolveClash(
  deps: NameClashDeps,
  docker: Docker,
  spec: ServerSpec,
  choice: ClashChoice | undefined,
): Promise<{ containerName: string; info: ContainerFacts | undefined }> {
  const { ownership, placements } = deps;
  let containerName = ownership.containerName(spec);
  const info = await inspectContainer(docker, containerName);
  if (!info || ownership.of(spec, info) !== 'foreign') return { containerName, info };
  if (!choice) throw new NameClashError(containerName, spec.name);
  if (choice === 'adopt') {
    await placements.set(spec.name, { containerName, adopted: true });
    return { containerName, info };
  }
  if (choice === 'replace') await forceRemoveContainer(docker, info.id, containerName);
  else {
    containerName = await freeName(docker, containerName);
    await placements.set(spec.name, { containerName, adopted: false });
  }
  return { containerName, info: undefined };
}
