import { z } from 'zod';

// Codes are the stable part of an error: they survive IPC and WebSocket hops where classes do not,
// so callers branch on `code` (as MCP's ErrorCode does), never on `instanceof`.
export const ERROR_CODES = [
  'INVALID_INPUT',
  'INVALID_OUTPUT',
  'INTERNAL',
  'PORT_IN_USE',
  'HTTP_LISTEN_FAILED',
  'DATA_DIR_UNUSABLE',
  'SETTINGS_INVALID',
  'ENGINE_UNREACHABLE',
  'TRANSPORT_CLOSED',
  'UNKNOWN_CALL',
  'USAGE',
  'SERVER_NOT_FOUND',
  'SERVER_EXISTS',
  'SERVER_READ_ONLY',
  'STORE_FILE_INVALID',
  'NAME_CLASH',
  'IMAGE_MISSING',
  'PULL_FAILED',
  'CONTAINER_FAILED',
  'SECRET_STORE',
  'PROBE_FAILED',
  'CLIENT_CONFIG_INVALID',
  'CLIENT_CONFIG_BUSY',
  'CLIENT_UNSUPPORTED',
  'UNSAFE_PATTERN',
  'PATTERN_FILE_INVALID',
  'PII_REJECTED',
  'SCAN_TIMEOUT',
  'AUDIT_FAILED',
  'AUDIT_CHAIN_BROKEN',
  'INSUFFICIENT_SCOPE',
  'CLIENT_NOT_ACCEPTED',
  'UNTRUSTED_SENDER',
  'PAYLOAD_TOO_LARGE',
  'CLIENT_METADATA_INVALID',
  'UPSTREAM_ERROR',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_CLOSED',
  'UPSTREAM_CANCELLED',
  'TOOL_WITHHELD',
  'PIN_NOT_FOUND',
  'CALL_DENIED',
  'APPROVAL_NOT_FOUND',
  'APP_NOT_RUNNING',
  'REMOTE_UNREACHABLE',
  'REMOTE_BAD_RESPONSE',
  'REMOTE_SIGN_IN_REQUIRED',
  'REMOTE_AUTH_FAILED',
  'NOT_A_CONTAINER',
  'REGISTRY_UNREACHABLE',
  'REGISTRY_INVALID',
  'REGISTRY_NOT_ALLOWED',
  'REGISTRY_ENTRY_NOT_FOUND',
  'SNIPPET_UNAVAILABLE',
  'PROFILE_NOT_FOUND',
  'PROFILE_EXISTS',
] as const;

export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const errorPayloadSchema = z.object({ code: errorCodeSchema, message: z.string() });
export type ErrorPayload = z.infer<typeof errorPayloadSchema>;

// The one class that extends Error: every failure is a subclass of it, named for its kind, so no
// code is typed at a throw site (eslint.config.mjs forbids `new DockError(` and `new Error(`).
// eslint-disable-next-line no-restricted-syntax -- the root of every error class
export class DockError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  // Subclasses get their own class name without each one repeating it.
  override get name(): string {
    return this.constructor.name;
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message };
  }
}

export function isDockError(value: unknown): value is DockError {
  return value instanceof DockError;
}

// One way to say "expected X, got Y" so every message reads the same.
export function describeReceived(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : JSON.stringify(value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

export function formatZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
