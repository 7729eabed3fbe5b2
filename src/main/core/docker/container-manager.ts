// Transitional: create-core.ts still builds the container manager from here. The servers
// capability owns it now (servers/container-manager.ts, opened by servers/open-servers.ts);
// delete this file once create-core calls openServers.
export {
  createContainerManager,
  type ContainerManager,
  type ContainerManagerOptions,
  type StartOptions,
} from '../servers/container-manager';
