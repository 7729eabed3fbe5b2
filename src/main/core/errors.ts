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
