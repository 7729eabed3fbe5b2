import type Docker from 'dockerode';
import type { ServerSpec } from '../../../shared/servers';
import { effectiveUser, sessionCreateOptions } from '../docker/container-config';
import type { DockerStdioTransport } from '../docker/docker-stdio-transport';
import type { EngineMonitor } from '../docker/engine-monitor';
import { requireDocker } from '../docker/require-docker';
import { openExecSession, openRunSession } from '../docker/stdio-sessions';
import { ServerNotRunningError } from '../errors';
import type { SecretStore } from '../secrets/secret-store';
import type { EgressProxies } from '../docker/egress/egress-proxies';
import type { ContainerOwnership } from './container-ownership';
import type { RegisteredServer, ServerRegistry } from './server-registry';
import type { ServerLogs } from './server-logs';
import type { ServerState } from './server-state';

export interface ServerSessionsDeps {
  engine: EngineMonitor;
  registry: ServerRegistry;
  secrets: SecretStore;
  state: ServerState;
  logs: ServerLogs;
  instance: string;
  onDisk: (name: string) => Promise<RegisteredServer>;
  ownership: ContainerOwnership;
  egress: EgressProxies;
}

// Stdio sessions to a server's MCP process, as the probe and the gateway open them, and who such
// a session runs as (a run-mode snippet's `docker run` must match).
export class ServerSessions {
  constructor(private readonly deps: ServerSessionsDeps) {}

  // A fresh session: `docker exec -i` into the running container, or a throwaway
  // `docker run -i --rm` container in run mode.
  async open(name: string): Promise<DockerStdioTransport> {
    const { engine, secrets, state, logs, instance, onDisk } = this.deps;
    const { spec } = await onDisk(name);
    const docker = requireDocker(engine);
    // Docker keeps no exec output: the sessions' stderr is kept for `mcp-dock servers logs`.
    const onStderr = (text: string) => logs.sessionStderr(name, text);
    // Loaded at the first session, not with the servers: the MCP SDK is a tenth of the start-up
    // of a CLI command that opens no session (`servers list`).
    const { DockerStdioTransport } = await import('../docker/docker-stdio-transport');
    if (spec.mode === 'exec') {
      const info = state.facts(name);
      if (!info || info.state !== 'running') throw new ServerNotRunningError(name);
      return new DockerStdioTransport(() => openExecSession(docker, info.id, spec.command), onStderr);
    }
    const values = await secrets.values(name, spec.secrets);
    const user = await this.#userFor(docker, spec);
    // Each run-mode session joins the server's isolated network, its proxy made or kept running.
    const route =
      spec.network === 'egress'
        ? await this.deps.egress.prepare(docker, spec, this.deps.ownership.containerName(spec))
        : undefined;
    return new DockerStdioTransport(
      () => openRunSession(docker, sessionCreateOptions(spec, spec.image, values, instance, user, route)),
      onStderr,
    );
  }

  async runIdentity(name: string): Promise<{ user: string; instance: string }> {
    const { spec } = this.deps.registry.get(name);
    return {
      user: await this.#userFor(this.deps.engine.connection()?.docker, spec),
      instance: this.deps.instance,
    };
  }

  // The user a run-mode session runs as; without the image (not pulled yet, engine away) the
  // image's own user is unknown, and the non-root default stands.
  async #userFor(docker: Docker | undefined, spec: ServerSpec): Promise<string> {
    if (spec.user || !docker) return effectiveUser(spec, undefined);
    const imageUser = await docker
      .getImage(spec.image)
      .inspect()
      .then((i) => i.Config?.User)
      .catch(() => undefined);
    return effectiveUser(spec, imageUser);
  }
}
