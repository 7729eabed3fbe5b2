import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { z } from 'zod';
import { engineError } from './engine-errors';
import { socketPathOf, type EngineEndpoint } from './engine-endpoints';

// What the monitor needs from an engine. Kept this small so tests can stand in for a whole
// engine, and so Docker and Podman look the same from above.
export interface EngineConnection {
  readonly docker: Docker;
  version(timeoutMs: number): Promise<EngineVersion>;
  ping(timeoutMs: number): Promise<void>;
  // Resolves once the engine's event stream is open; `onLost` fires once when it ends, and
  // `onEvent` gets each event the engine reports (containers starting, dying, ...).
  watch(onLost: (error: unknown) => void, onEvent?: (event: DockerEvent) => void): Promise<void>;
  close(): void;
}

const versionSchema = z.object({
  Version: z.string(),
  ApiVersion: z.string(),
  Os: z.string(),
  Arch: z.string(),
  Platform: z.object({ Name: z.string() }).partial().optional(),
  Components: z
    .array(z.object({ Name: z.string(), Version: z.string() }).partial())
    .optional()
    .nullable(),
});

const dockerEventSchema = z
  .object({
    Type: z.string(),
    Action: z.string(),
    Actor: z.object({ ID: z.string(), Attributes: z.record(z.string(), z.string()).optional() }).partial(),
  })
  .loose();
export type DockerEvent = z.infer<typeof dockerEventSchema>;

export interface EngineVersion {
  product: string;
  version: string;
  apiVersion: string;
  os: string;
  arch: string;
}

export function parseEngineVersion(raw: unknown): EngineVersion {
  const v = versionSchema.parse(raw);
  const components = v.Components ?? [];
  const podman = components.some((c) => /podman/i.test(c.Name ?? ''));
  const product = podman ? 'Podman' : v.Platform?.Name?.trim() || 'Docker Engine';
  return { product, version: v.Version, apiVersion: v.ApiVersion, os: v.Os, arch: v.Arch };
}

export function dockerodeOptions(endpoint: EngineEndpoint, env: NodeJS.ProcessEnv): Docker.DockerOptions {
  const socketPath = socketPathOf(endpoint.url);
  if (socketPath) return { socketPath };
  const url = new URL(endpoint.url);
  if (url.protocol === 'ssh:') {
    return {
      protocol: 'ssh',
      host: url.hostname,
      port: Number(url.port || 22),
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    };
  }
  const tls = env.DOCKER_TLS_VERIFY === '1' || url.protocol === 'https:';
  const options: Docker.DockerOptions = {
    protocol: tls ? 'https' : 'http',
    host: url.hostname,
    port: Number(url.port || (tls ? 2376 : 2375)),
  };
  if (tls && env.DOCKER_CERT_PATH) {
    const dir = env.DOCKER_CERT_PATH;
    options.ca = readFileSync(join(dir, 'ca.pem'));
    options.cert = readFileSync(join(dir, 'cert.pem'));
    options.key = readFileSync(join(dir, 'key.pem'));
  }
  return options;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(engineError('ENGINE_TIMEOUT', `${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function connectEngine(
  endpoint: EngineEndpoint,
  env: NodeJS.ProcessEnv = process.env,
): EngineConnection {
  const docker = new Docker(dockerodeOptions(endpoint, env));
  let stream: NodeJS.ReadableStream | undefined;
  let closed = false;

  return {
    docker,
    async version(timeoutMs) {
      return parseEngineVersion(await withTimeout(docker.version(), timeoutMs, 'docker version'));
    },
    async ping(timeoutMs) {
      await withTimeout(docker.ping(), timeoutMs, 'docker ping');
    },
    async watch(onLost, onEvent) {
      const events = await docker.getEvents({});
      if (closed) {
        (events as unknown as { destroy?: () => void }).destroy?.();
        return;
      }
      stream = events;
      let reported = false;
      const lost = (error: unknown) => {
        if (reported || closed) return;
        reported = true;
        onLost(error ?? engineError('ENGINE_LOST', 'event stream ended'));
      };
      // The stream carries the engine's events as JSON lines; its end is the signal that the
      // engine went away. Both together replace any polling loop.
      let pending = '';
      events.on('data', (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.trim()) continue;
          try {
            const parsed = dockerEventSchema.safeParse(JSON.parse(line));
            if (parsed.success) onEvent?.(parsed.data);
          } catch {
            // A garbled line is skipped; the next one is independent.
          }
        }
      });
      events.on('error', lost);
      events.on('end', () => lost(engineError('ENGINE_LOST', 'event stream ended')));
      events.on('close', () => lost(engineError('ENGINE_LOST', 'event stream closed')));
    },
    close() {
      closed = true;
      (stream as unknown as { destroy?: () => void } | undefined)?.destroy?.();
      stream = undefined;
    },
  };
}
