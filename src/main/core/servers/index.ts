// The servers capability: what servers there are, their containers' lifecycle, logs and health.
export { openServers, type Servers, type ServersDeps } from './open-servers';
export {
  createContainerManager,
  type ContainerManager,
  type ContainerManagerOptions,
  type StartOptions,
} from './container-manager';
export { builtInCatalog, catalogSchema, parseCatalog } from './catalog';
export { openPlacements, type Placement, type Placements } from './placements';
export { openServerRegistry, type RegisteredServer, type ServerRegistry } from './server-registry';
export { createServersApi } from './servers-api';
export { probeMcp, type ProbeResult } from './mcp-probe';
export type { ServerPullProgress } from './server-lifecycle';
export type { LogBatch } from './server-logs';
