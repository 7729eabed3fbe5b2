import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { DockerStdio } from './docker-stdio-transport';

// The two ways into a server's MCP process over the engine API: `docker exec -i` into its
// running container (exec mode), or a throwaway `docker run -i --rm` container (run mode).
export async function openExecSession(
  docker: Docker,
  containerId: string,
  command: string[],
): Promise<DockerStdio> {
  const exec = await docker.getContainer(containerId).exec({
    Cmd: command,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const stream = (await exec.start({ hijack: true, stdin: true })) as Duplex;
  return { stream };
}

export async function openRunSession(
  docker: Docker,
  options: Docker.ContainerCreateOptions,
): Promise<DockerStdio> {
  const container = await docker.createContainer(options);
  const stream = (await container.attach({
    stream: true,
    stdin: true,
    stdout: true,
    stderr: true,
    hijack: true,
  })) as Duplex;
  await container.start();
  return {
    stream,
    dispose: async () => {
      await container.remove({ force: true }).catch(() => undefined);
    },
  };
}
