import { homedir } from 'node:os';
import type { EngineConnection } from './engine-connection';
import { listEngineEndpoints } from './engine-endpoints';
import { createEngineMonitor, type EngineMonitor } from './engine-monitor';

export interface EngineDeps {
  env: NodeJS.ProcessEnv;
  // Overrides DOCKER_HOST and the well-known sockets.
  dockerHost?: string | undefined;
  connect?: ((endpoint: { url: string; source: string }) => EngineConnection) | undefined;
  retryDelaysMs?: readonly number[] | undefined;
  heartbeatMs?: number | undefined;
}

// The Docker engine MCP Dock talks to, found and followed: DOCKER_HOST or an override, else the
// well-known sockets (re-read on every check, so an engine that starts later is found).
export function openEngine(deps: EngineDeps): EngineMonitor {
  return createEngineMonitor({
    endpoints: () =>
      listEngineEndpoints({
        env: deps.env,
        platform: process.platform,
        home: deps.env.HOME ?? homedir(),
        override: deps.dockerHost,
      }),
    ...(deps.connect ? { connect: deps.connect } : {}),
    ...(deps.retryDelaysMs ? { retryDelaysMs: deps.retryDelaysMs } : {}),
    ...(deps.heartbeatMs ? { heartbeatMs: deps.heartbeatMs } : {}),
  });
}
