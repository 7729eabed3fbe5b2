import type { EngineMonitor } from '../../docker/engine-monitor';

// The docker CLI in a client finds the default engine by itself; a DOCKER_HOST MCP Dock was told
// about must travel with the snippet so the client reaches the same engine.
export function snippetDockerHost(engine: Pick<EngineMonitor, 'status'>): string | undefined {
  const status = engine.status();
  return status.source === 'DOCKER_HOST' || status.source === 'setting' ? status.endpoint : undefined;
}
