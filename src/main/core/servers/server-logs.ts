import type Docker from 'dockerode';
import type { Unsubscribe } from '../../../shared/contract-kit';
import type { LogLine } from '../../../shared/servers';
import { createLogReader, readDockerFrames } from '../docker/docker-frames';
import type { EngineMonitor } from '../docker/engine-monitor';
import { inspectContainer, type ContainerFacts } from '../docker/inspect-container';
import { requireDocker } from '../docker/require-docker';
import { NoLogsYetError } from '../errors';
import type { ContainerOwnership } from './container-ownership';
import { LogBuffer } from './log-buffer';
import { readServerLogs } from './read-server-logs';
import type { ServerRegistry } from './server-registry';
import { SessionLog } from './session-log';

export interface ServerLogsDeps {
  engine: EngineMonitor;
  registry: ServerRegistry;
  ownership: ContainerOwnership;
  now: () => Date;
  // Where the MCP sessions' stderr is kept (the data directory's logs/); not kept when absent.
  sessionLogDir?: string | undefined;
}

export type LogBatch = { server: string; lines: LogLine[] };

interface Follower {
  id: string;
  stop: () => void;
}

// What each server says: its running container's output, followed live into a bounded buffer
// per server, and its MCP sessions' stderr, which Docker keeps nowhere (exec output goes only to
// whoever attached), so it is kept here for `mcp-dock servers logs` as well.
export class ServerLogs {
  readonly #buffers = new Map<string, LogBuffer>();
  readonly #followers = new Map<string, Follower>();
  readonly #listeners = new Set<(batch: LogBatch) => void>();
  readonly #sessions: SessionLog | undefined;

  constructor(private readonly deps: ServerLogsDeps) {
    this.#sessions = deps.sessionLogDir ? new SessionLog(deps.sessionLogDir) : undefined;
  }

  #buffer(server: string): LogBuffer {
    let buffer = this.#buffers.get(server);
    if (!buffer) {
      buffer = new LogBuffer();
      this.#buffers.set(server, buffer);
    }
    return buffer;
  }

  append(server: string, stream: 'stdout' | 'stderr', text: string): LogLine[] {
    const lines = this.#buffer(server).append(stream, text, this.deps.now());
    if (lines.length === 0) return lines;
    for (const listener of this.#listeners) listener({ server, lines });
    return lines;
  }

  // An MCP session's stderr: shown live, and kept on disk.
  sessionStderr(server: string, text: string): void {
    this.#sessions?.append(server, this.append(server, 'stderr', text));
  }

  snapshot(server: string): LogLine[] {
    return this.#buffer(server).snapshot();
  }

  clear(server: string): void {
    this.#buffer(server).clear();
  }

  // Follows the output of the server's running container; stops following a container that is
  // gone, stopped or replaced.
  follow(server: string, info: ContainerFacts | undefined): void {
    const current = this.#followers.get(server);
    if (current && (!info || info.state !== 'running' || current.id !== info.id)) {
      current.stop();
      this.#followers.delete(server);
    }
    if (!info || info.state !== 'running' || this.#followers.has(server)) return;
    let stream: NodeJS.ReadableStream | undefined;
    let stopped = false;
    this.#followers.set(server, {
      id: info.id,
      stop: () => {
        stopped = true;
        (stream as unknown as { destroy?: () => void } | undefined)?.destroy?.();
      },
    });
    const docker = this.deps.engine.connection()?.docker;
    if (!docker) return;
    void docker
      .getContainer(info.id)
      .logs({ follow: true, stdout: true, stderr: true, tail: 100 })
      .then((s) => {
        stream = s;
        if (stopped) return (s as unknown as { destroy: () => void }).destroy();
        s.on(
          'data',
          createLogReader({
            stdout: (chunk) => this.append(server, 'stdout', chunk.toString('utf8')),
            stderr: (chunk) => this.append(server, 'stderr', chunk.toString('utf8')),
          }),
        );
        s.on('end', () => {
          if (this.#followers.get(server)?.id === info.id) this.#followers.delete(server);
        });
      })
      .catch(() => this.#followers.delete(server));
  }

  // The last lines the server said, for a failure's reason: from the live buffer, else (it died
  // before anything was followed) from the engine's log of its container.
  async lastLines(docker: Docker, containerId: string | undefined, server: string): Promise<string[]> {
    const collected = this.#buffer(server).tail(20);
    if (collected.length > 0 || !containerId) return collected;
    try {
      const raw = (await docker
        .getContainer(containerId)
        .logs({ stdout: true, stderr: true, tail: 20, follow: false })) as unknown as Buffer;
      return readDockerFrames(Buffer.from(raw))
        .map((f) => f.text)
        .join('')
        .split('\n')
        .filter(Boolean)
        .slice(-20);
    } catch {
      return collected;
    }
  }

  // Waits for the session stderr queued so far: a CLI command ends right after its probe, and
  // what the session said must be on disk by then.
  async flush(): Promise<void> {
    await this.#sessions?.flush();
  }

  // The server's log as the app shows it, for the CLI (which has no live buffer): its container's
  // output from the engine and its MCP sessions' stderr from the data directory, by time.
  async read(
    server: string,
    options: { tail: number; follow: boolean; signal?: AbortSignal | undefined },
    onText: (stream: 'stdout' | 'stderr', text: string) => void,
  ): Promise<void> {
    const { registry, engine, ownership } = this.deps;
    const { spec } = registry.get(server);
    const docker = requireDocker(engine);
    const info = await inspectContainer(docker, ownership.containerName(spec));
    const container =
      info && ownership.of(spec, info) !== 'foreign' ? docker.getContainer(info.id) : undefined;
    await this.#sessions?.flush();
    if (!container) {
      const kept = (await this.#sessions?.read(server))?.lines.length ?? 0;
      // Without its container an exec-mode server gets no new output; run mode may, per session.
      if (spec.mode === 'exec' ? options.follow || kept === 0 : !options.follow && kept === 0)
        throw new NoLogsYetError(server, spec.mode);
    }
    await readServerLogs({ container, sessions: this.#sessions, server, ...options }, (line) =>
      onText(line.stream, line.text),
    );
  }

  // A removed server's logs go with it, kept ones included.
  async remove(server: string): Promise<void> {
    await this.#sessions?.remove(server);
    this.#buffers.delete(server);
  }

  onLogs(listener: (batch: LogBatch) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    for (const follower of this.#followers.values()) follower.stop();
    this.#followers.clear();
    this.#listeners.clear();
  }
}
