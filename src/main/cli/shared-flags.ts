import type { ParseArgsConfig } from 'node:util';

// Flags every command understands, defined once and spread into each command's own.
export const sharedFlags = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies NonNullable<ParseArgsConfig['options']>;
