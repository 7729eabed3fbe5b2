import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { engineSocketPath } from '../../test-support/docker-engine';

const run = promisify(execFile);

// Every container the benchmark makes is named with this prefix (our core names its containers
// mcp-dock-<server>, and the bench's servers are called bench-*), so cleanup finds them all.
export const BENCH_PREFIX = 'mcp-dock-bench-';

export function dockerSocket(): string {
  const socket = engineSocketPath();
  if (!socket)
    throw new Error('no Docker engine: set DOCKER_HOST to a unix socket (unix:///path/docker.sock)');
  return socket;
}

export function dockerHost(): string {
  return `unix://${dockerSocket()}`;
}

// For core, which finds the usual sockets itself when there is no DOCKER_HOST.
export function optionalDockerHost(): string | undefined {
  const socket = engineSocketPath();
  return socket ? `unix://${socket}` : undefined;
}

export function dockerClient(): Docker {
  return new Docker({ socketPath: dockerSocket() });
}

export async function removeBenchContainers(docker: Docker): Promise<number> {
  const all = await docker.listContainers({ all: true });
  const ours = all.filter((c) => c.Names.some((n) => n.replace(/^\//, '').startsWith(BENCH_PREFIX)));
  await Promise.all(
    ours.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  return ours.length;
}

// The plain docker CLI, as a user without MCP Dock would run it.
export async function dockerCli(args: readonly string[]): Promise<string> {
  const { stdout } = await run('docker', [...args], {
    env: { ...process.env, DOCKER_HOST: dockerHost() },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim();
}
