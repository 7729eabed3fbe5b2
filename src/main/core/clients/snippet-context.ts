// What a snippet depends on besides the server: where this user's files are, and how the docker
// CLI in the client reaches MCP Dock's engine.
export interface SnippetContext {
  // Set when the engine is not where the docker CLI looks by default (DOCKER_HOST, a setting):
  // the client's `docker` must talk to the same engine MCP Dock manages.
  dockerHost?: string | undefined;
  platform?: NodeJS.Platform;
  home?: string;
  env?: NodeJS.ProcessEnv;
  // run mode: who the session runs as and the instance label (ContainerManager.runIdentity).
  run?: { user: string; instance: string } | undefined;
}
