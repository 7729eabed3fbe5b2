import { DockError } from '../../../../shared/errors';

// The log could not be written or read (I/O, permissions, another writer, closed).
export class AuditFailedError extends DockError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('AUDIT_FAILED', `The audit log cannot be used: ${reason}`, options);
  }
}

// A record on disk is not what MCP Dock wrote: altered, cut off, or not ours at all.
export class AuditRecordError extends DockError {
  constructor(file: string, line: number, reason: string) {
    super(
      'AUDIT_CHAIN_BROKEN',
      `${file} line ${line} is not a valid audit record (${reason}). Run \`mcp-dock audit verify\` to check the whole chain.`,
    );
  }
}
