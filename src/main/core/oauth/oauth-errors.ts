import { DockError } from '../../../shared/errors';
import { SCOPES_HELP } from './scopes';

// What the Clients & Tokens pane and `mcp-dock clients`/`token` are refused, and why a client
// metadata document is not taken. The OAuth endpoints answer in OAuth's own words
// (invalid_client, invalid_scope...), not with these.

export class UnknownClientError extends DockError {
  // `listHint` where the user typed the name (the CLI); the pane picks from a list.
  constructor(clientId: string, options: { listHint?: boolean } = {}) {
    super(
      'INVALID_INPUT',
      options.listHint
        ? `no client named "${clientId}"; list them with \`mcp-dock clients list\``
        : `no client named "${clientId}"`,
    );
  }
}

export class ClientExistsError extends DockError {
  constructor(clientId: string) {
    super(
      'INVALID_INPUT',
      `a client named "${clientId}" already exists; revoke it first or pick another name`,
    );
  }
}

// A client gets only the scopes it is registered for, so one registered for none is a mistake.
export class NoScopeError extends DockError {
  constructor(clientId: string) {
    super('INVALID_INPUT', `name at least one scope for "${clientId}"; supported: ${SCOPES_HELP}`);
  }
}

export class UnknownScopeError extends DockError {
  // `supported` lists what may be asked for, where the caller cannot see it otherwise.
  constructor(unknown: readonly string[], supported?: string) {
    super(
      'INVALID_INPUT',
      `unknown scope ${unknown.join(' ')}${supported === undefined ? '' : `; supported: ${supported}`}`,
    );
  }
}

export class ScopeNotRegisteredError extends DockError {
  constructor(clientId: string, beyond: readonly string[], registered: Iterable<string>) {
    super(
      'INVALID_INPUT',
      `client "${clientId}" is not registered for ${beyond.join(' ')}; it may have ${[...registered].join(' ')}`,
    );
  }
}

export class AudienceError extends DockError {
  constructor(resources: readonly string[]) {
    super('INVALID_INPUT', `the audience must be one of ${resources.join(', ')}`);
  }
}

export class UnknownTokenError extends DockError {
  constructor() {
    super('INVALID_INPUT', 'no such token (it may have expired)');
  }
}

export class UnknownGrantError extends DockError {
  constructor() {
    super('INVALID_INPUT', 'no such grant');
  }
}

export class NotAJwtError extends DockError {
  constructor() {
    super('INVALID_INPUT', 'that is not a JWT (three base64url parts separated by dots)');
  }
}

// A client_id URL whose document cannot be fetched or does not describe a client we accept. The
// resolver keeps only the reason (the login then fails as an unknown client), so `reason` is the
// whole message.
export class ClientMetadataError extends DockError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('CLIENT_METADATA_INVALID', reason, options);
  }
}
