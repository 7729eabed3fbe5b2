import type Docker from 'dockerode';
import { request } from 'node:http';
import { existsSync } from 'node:fs';

// The engine tests run against: DOCKER_HOST (a unix socket, as .ci/run starts it) or the default.
export function engineSocketPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const host = env.DOCKER_HOST;
  if (host?.startsWith('unix://')) return host.slice('unix://'.length);
  if (host) return undefined;
  return existsSync('/var/run/docker.sock') ? '/var/run/docker.sock' : undefined;
}

export function engineVersion(
  socketPath: string,
): Promise<{ Version: string; ApiVersion: string } | undefined> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/version', timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body) as { Version: string; ApiVersion: string });
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => {
      req.destroy();
      resolve(undefined);
    });
    req.end();
  });
}

export const NO_ENGINE_REASON =
  'no Docker engine reachable: set DOCKER_HOST to a unix socket or start one with `bash scripts/dockerd-private.sh start` (CI always has one)';

// Tests that need the engine fail in CI when it is missing (a broken CI must not pass by skipping),
// and are skipped with this printed reason on a developer machine without Docker.
export async function requireEngine(): Promise<{ socketPath: string; version: string } | undefined> {
  const socketPath = engineSocketPath();
  const version = socketPath ? await engineVersion(socketPath) : undefined;
  if (socketPath && version) return { socketPath, version: version.Version };
  if (process.env.CI) throw new Error(`CI needs a Docker engine: ${NO_ENGINE_REASON}`);
  console.warn(`skipping Docker engine tests: ${NO_ENGINE_REASON}`);
  return undefined;
}

// Removes what one test file's run created on the engine, found by the suffix in every name it used.
export async function removeContainersNamed(docker: Docker, part: string): Promise<void> {
  const all = await docker.listContainers({ all: true });
  await Promise.all(
    all
      .filter((c) => c.Names.some((n) => n.includes(part)))
      .map((c) =>
        docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
  );
}
