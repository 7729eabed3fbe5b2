import type Docker from 'dockerode';
import { DockError } from '../../../shared/errors';
import type { Health, ServerSpec } from '../../../shared/servers';
import type { EngineMonitor } from '../docker/engine-monitor';
import { inspectContainer, type ContainerFacts } from '../docker/inspect-container';
import { requireDocker } from '../docker/require-docker';
import type { ContainerOwnership } from './container-ownership';
import { withPermissionHint } from './lib/permission-hint';
import { probeMcp } from './mcp-probe';
import type { ServerRegistry } from './server-registry';
import type { ServerLogs } from './server-logs';
import type { ServerSessions } from './server-sessions';
import type { ServerState } from './server-state';

export interface ServerProbeDeps {
  engine: EngineMonitor;
  registry: ServerRegistry;
  state: ServerState;
  ownership: ContainerOwnership;
  logs: ServerLogs;
  sessions: ServerSessions;
  timeoutMs: number;
  now: () => Date;
}

// A server's health: what a client would see (initialize, then its tools), and when that fails,
// why, in words that point at the cause (the container died, a permission was denied).
export class ServerProbe {
  constructor(private readonly deps: ServerProbeDeps) {}

  async run(name: string): Promise<Health> {
    const { engine, registry, state, logs, sessions, timeoutMs, now } = this.deps;
    const { spec } = registry.get(name);
    const docker = requireDocker(engine);
    state.setHealth(name, { status: 'probing' });
    state.emit();
    if (spec.mode === 'exec') {
      const info = state.facts(name);
      if (!info || info.state !== 'running') {
        const failed: Health = {
          status: 'failed',
          checkedAt: now().toISOString(),
          reason: 'the container is not running; start it first',
          lastLogLines: await logs.lastLines(docker, info?.id, name),
        };
        state.setHealth(name, failed);
        return failed;
      }
    }
    const transport = await sessions.open(name);
    let result: Health;
    try {
      const probe = await probeMcp(transport, timeoutMs);
      result = { status: 'ready', checkedAt: now().toISOString(), ...probe };
    } catch (error) {
      let reason =
        error instanceof DockError ? error.message : `the MCP handshake failed: ${(error as Error).message}`;
      if (spec.mode === 'exec') reason = (await this.#containerDied(docker, spec)) ?? reason;
      const lastLines = await logs.lastLines(docker, state.facts(name)?.id, name);
      result = {
        status: 'failed',
        checkedAt: now().toISOString(),
        reason: withPermissionHint(spec, reason, lastLines),
        lastLogLines: lastLines,
      };
    }
    state.setHealth(name, result);
    await logs.flush();
    return result;
  }

  // A handshake cut short often means the container itself died: say that instead. The engine
  // may take a moment to report the exit, or may already have restarted it (its restart policy),
  // so look a few times before deciding.
  async #containerDied(docker: Docker, spec: ServerSpec): Promise<string | undefined> {
    const { state, ownership } = this.deps;
    const before = state.facts(spec.name)?.restartCount ?? 0;
    const died = (f: ContainerFacts) => f.state !== 'running' || f.restartCount > before;
    let after: ContainerFacts | undefined;
    for (let i = 0; i < 6; i++) {
      after = await inspectContainer(docker, ownership.containerName(spec)).catch(() => undefined);
      if (!after || died(after)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (!after || !died(after)) return undefined;
    state.setFacts(spec.name, after);
    return `the container stopped (exit code ${after.exitCode ?? 'unknown'}) while MCP Dock was checking it`;
  }
}
