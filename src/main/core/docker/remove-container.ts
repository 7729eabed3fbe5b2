import type Docker from 'dockerode';
import { isNotFound, toDockerError } from './docker-errors';

// Removes a container whatever it is doing; one already gone is not a failure.
export async function forceRemoveContainer(docker: Docker, id: string, containerName: string): Promise<void> {
  await docker
    .getContainer(id)
    .remove({ force: true })
    .catch((error: unknown) => {
      if (!isNotFound(error)) throw toDockerError('remove', containerName, error);
    });
}
