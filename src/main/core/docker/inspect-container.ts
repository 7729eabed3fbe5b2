import type Docker from 'dockerode';
import type { ContainerState } from '../../../shared/servers';
import { isNotFound, toDockerError } from './docker-errors';

// What MCP Dock needs to know of one container, read from the engine's inspect answer.
export interface ContainerFacts {
  id: string;
  name: string;
  state: ContainerState;
  labels: Record<string, string>;
  image: string;
  startedAt?: string;
  exitCode?: number;
  // Restarts by the engine's restart policy: a rise means the keep-alive died in between.
  restartCount: number;
}

// The engine names containers with a leading slash; MCP Dock and the user do not.
export function bareContainerName(name: string): string {
  return name.startsWith('/') ? name.slice(1) : name;
}

function factsFromInspect(info: Docker.ContainerInspectInfo): ContainerFacts {
  const facts: ContainerFacts = {
    id: info.Id,
    name: bareContainerName(info.Name),
    state: info.State.Status as ContainerState,
    labels: info.Config.Labels ?? {},
    image: info.Config.Image,
    restartCount: info.RestartCount ?? 0,
  };
  if (info.State.Running) facts.startedAt = info.State.StartedAt;
  else facts.exitCode = info.State.ExitCode;
  return facts;
}

// The container at a name (or id), or undefined when there is none.
export async function inspectContainer(
  docker: Docker,
  nameOrId: string,
): Promise<ContainerFacts | undefined> {
  try {
    return factsFromInspect(await docker.getContainer(nameOrId).inspect());
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw toDockerError('inspect', nameOrId, error);
  }
}
