import { DockError } from '../../../shared/errors';

export class ProfileNotFoundError extends DockError {
  constructor(name: string) {
    super('PROFILE_NOT_FOUND', `No profile named "${name}". List them with \`mcp-dock profiles list\`.`);
  }
}

export class ProfileExistsError extends DockError {
  constructor(name: string) {
    super(
      'PROFILE_EXISTS',
      `A profile named "${name}" exists already: pick another name, or remove it first (\`mcp-dock profiles remove ${name}\`).`,
    );
  }
}
