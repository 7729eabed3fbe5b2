import { DockError } from '../../../shared/errors';

export class RegistryUnreachableError extends DockError {
  constructor(registry: string, reason: string, options?: { cause?: unknown }) {
    super('REGISTRY_UNREACHABLE', `the registry ${registry} cannot be reached: ${reason}`, options);
  }
}

// It answered, but not with the MCP Registry API's shapes.
export class RegistryInvalidError extends DockError {
  constructor(registry: string, what: string, options?: { cause?: unknown }) {
    super(
      'REGISTRY_INVALID',
      `the registry ${registry} answered ${what}; is it an MCP Registry (GET /v0.1/servers)?`,
      options,
    );
  }
}

// settings.json's registry.onlyThese: installs and searches go to the configured registries only.
export class RegistryNotAllowedError extends DockError {
  constructor(registry: string, allowed: readonly string[]) {
    super(
      'REGISTRY_NOT_ALLOWED',
      `${registry} is not one of the registries this MCP Dock may use (${allowed.join(', ')}); registry.onlyThese in settings.json says so`,
    );
  }
}

export class RegistryEntryNotFoundError extends DockError {
  constructor(entry: string, registry: string) {
    super(
      'REGISTRY_ENTRY_NOT_FOUND',
      `no entry named "${entry}" in ${registry}; find it with \`mcp-dock catalog search\``,
    );
  }
}

// The entry cannot be installed as asked: no option MCP Dock runs, a required value missing.
export class RegistryInstallError extends DockError {
  constructor(entry: string, reason: string) {
    super('INVALID_INPUT', `cannot install "${entry}": ${reason}`);
  }
}
