import { DockError } from '../../shared/errors';

export { DockError };

export class PortInUseError extends DockError {
  constructor(host: string, port: number, setting: string, options?: { cause?: unknown }) {
    super(
      'PORT_IN_USE',
      `Port ${port} on ${host} is already in use by another program. Choose a free port with ${setting}.`,
      options,
    );
  }
}

export class HttpListenError extends DockError {
  constructor(host: string, port: number, reason: string, options?: { cause?: unknown }) {
    super('HTTP_LISTEN_FAILED', `Cannot listen on ${host}:${port}: ${reason}`, options);
  }
}

export class DataDirError extends DockError {
  constructor(dir: string, reason: string, options?: { cause?: unknown }) {
    super('DATA_DIR_UNUSABLE', `Data directory ${dir} cannot be used: ${reason}`, options);
  }
}

export class SettingsError extends DockError {
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(
      'SETTINGS_INVALID',
      `Settings file ${file} is invalid (${reason}). Fix or delete it; it was left untouched.`,
      options,
    );
  }
}

export class UsageError extends DockError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

export class ServerNotFoundError extends DockError {
  constructor(name: string) {
    super('SERVER_NOT_FOUND', `No server named "${name}". List them with \`mcp-dock servers list\`.`);
  }
}

export class ServerExistsError extends DockError {
  constructor(name: string, where: 'catalog' | 'user') {
    super(
      'SERVER_EXISTS',
      where === 'catalog'
        ? `"${name}" is a built-in catalog server; choose another name for your own.`
        : `A server named "${name}" already exists; edit it, or choose another name.`,
    );
  }
}

export class ReadOnlyServerError extends DockError {
  constructor(name: string) {
    super(
      'SERVER_READ_ONLY',
      `"${name}" comes from the built-in catalog and cannot be changed; add your own copy under another name.`,
    );
  }
}

export class StoreFileError extends DockError {
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(
      'STORE_FILE_INVALID',
      `${file} is invalid (${reason}). Fix or move it away; MCP Dock left it untouched.`,
      options,
    );
  }
}

export class EngineUnavailableError extends DockError {
  // With a hint (what to do, from the engine's status) the message says it instead of the generic advice.
  constructor(reason: string, hint?: string) {
    super(
      'ENGINE_UNREACHABLE',
      hint
        ? `The Docker engine is not reachable: ${reason}. ${hint}`
        : `The Docker engine is not reachable (${reason}). Start it and try again.`,
    );
  }
}

export class NameClashError extends DockError {
  constructor(containerName: string, server: string) {
    super(
      'NAME_CLASH',
      `A container named "${containerName}" already exists and was not created by MCP Dock. Choose: adopt it (MCP Dock will use it as "${server}"), rename (MCP Dock creates its own under a new name), or replace (MCP Dock removes it and creates its own).`,
    );
  }
}

export class ImageMissingError extends DockError {
  constructor(image: string) {
    super(
      'IMAGE_MISSING',
      `Image ${image} is not on this engine. Pull it first (the Pull button, or \`docker pull ${image}\`). Without a registry, build it (\`docker build -t ${image} .\`) or load a saved copy (\`docker load -i image.tar\`).`,
    );
  }
}

export class PullFailedError extends DockError {
  constructor(image: string, reason: string, options?: { cause?: unknown }) {
    super('PULL_FAILED', `Could not pull ${image}: ${reason}`, options);
  }
}

export class ContainerOperationError extends DockError {
  constructor(operation: string, name: string, reason: string, options?: { cause?: unknown }) {
    super('CONTAINER_FAILED', `Could not ${operation} ${name}: ${reason}`, options);
  }
}

export class SecretStoreError extends DockError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('SECRET_STORE', `The secret store cannot be used: ${reason}`, options);
  }
}

export class ClientConfigError extends DockError {
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(
      'CLIENT_CONFIG_INVALID',
      `${file} cannot be edited: ${reason}. Fix it by hand first; MCP Dock changed nothing.`,
      options,
    );
  }
}

export class ClientConfigBusyError extends DockError {
  constructor(file: string) {
    super(
      'CLIENT_CONFIG_BUSY',
      `${file} is being edited by another MCP Dock right now; try again in a moment.`,
    );
  }
}

// The CLI wrote a new OAuth client, but the app running on the same data directory has not
// taken it in (its file watcher may not work on this filesystem).
export class ClientNotAcceptedError extends DockError {
  constructor(clientId: string, origin: string, reason: string) {
    super(
      'CLIENT_NOT_ACCEPTED',
      `Client "${clientId}" is saved, but the MCP Dock running at ${origin} does not accept it yet (${reason}). Restart the app to load it, or try again in a moment.`,
    );
  }
}

export class ProbeFailedError extends DockError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('PROBE_FAILED', `the MCP handshake failed: ${reason}`, options);
  }
}

export class LeftoverRefusedError extends DockError {
  // `why` is the container's state when it is still active, or 'not-ours'.
  constructor(container: string, why: string) {
    super(
      'CONTAINER_FAILED',
      why === 'not-ours'
        ? `${container} is not a left-over container of this MCP Dock. It removes only containers that its own data directory created for servers it no longer has; others (another data directory's, or not MCP Dock's) are left alone.`
        : `${container} is ${why}, and MCP Dock does not remove a running container. If it is no longer needed, stop it first (docker stop ${container}), then remove it.`,
    );
  }
}

export class ServerGoneError extends DockError {
  constructor(name: string) {
    super(
      'SERVER_NOT_FOUND',
      `"${name}" no longer exists: another process (\`mcp-dock servers remove\`, another MCP Dock window) removed it from servers.json. Nothing was done; the list now shows what is on disk.`,
    );
  }
}

export class NoLogsYetError extends DockError {
  constructor(name: string, mode: 'exec' | 'run') {
    super(
      'CONTAINER_FAILED',
      mode === 'exec'
        ? `"${name}" has no container, so there is no log to show; start it first (mcp-dock servers start ${name}).`
        : `"${name}" starts a container per session and none has run yet; its output shows here after the first session (a client, or mcp-dock servers start ${name}, which checks it).`,
    );
  }
}

// A defect of the build, not of the user's data: the unit tests parse the catalog, so it never ships.
export class CatalogInvalidError extends DockError {
  constructor(reason: string) {
    super('INTERNAL', `resources/catalog.json is invalid: ${reason}`);
  }
}

export class ContainerSessionClosedError extends DockError {
  constructor() {
    super('CONTAINER_FAILED', 'the container session is closed');
  }
}

// The engine sent something on an attach or exec stream that is not one of its frames.
export class EngineStreamError extends DockError {
  constructor(reason: string) {
    super('CONTAINER_FAILED', `the Docker engine's stream is unreadable: ${reason}`);
  }
}

export class ServerNotRunningError extends DockError {
  constructor(name: string) {
    super('CONTAINER_FAILED', `"${name}" is not running; start it first`);
  }
}

export class NoFreeContainerNameError extends DockError {
  constructor(base: string) {
    super('CONTAINER_FAILED', `no free container name like ${base}-N; remove some old containers`);
  }
}

export class SecretsMissingError extends DockError {
  constructor(server: string, missing: string[]) {
    super(
      'SECRET_STORE',
      `Set ${missing.join(', ')} for "${server}" first (in the server's settings, or \`mcp-dock servers add ... --secret NAME\`).`,
    );
  }
}

export class UndeclaredSecretsError extends DockError {
  constructor(names: string[]) {
    super(
      'INVALID_INPUT',
      `secret values given for ${names.join(', ')}, which the server does not declare under "secrets"`,
    );
  }
}

// A container is named after its server: renaming one that has a container would orphan it.
export class RenameBlockedError extends DockError {
  constructor(name: string, engineReachable: boolean) {
    super(
      'INVALID_INPUT',
      engineReachable
        ? `stop and remove "${name}"'s container before renaming the server`
        : `"${name}" can be renamed once the Docker engine is reachable: MCP Dock must first see that it has no container`,
    );
  }
}

// A command that needs the running app (held calls live only in it) found none on the data dir.
export class AppNotRunningError extends DockError {
  constructor(dataDir: string, what: string) {
    super('APP_NOT_RUNNING', `no MCP Dock app runs on ${dataDir}: ${what}`);
  }
}
