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

// The log does not end where its seal says, or its seal cannot be trusted: records were cut off,
// rewritten, or the seal was removed or forged. The writer will not add to such a log.
export class AuditSealError extends DockError {
  constructor(dir: string, reason: string) {
    super(
      'AUDIT_CHAIN_BROKEN',
      `The audit log in ${dir} does not match its seal: ${reason}. MCP Dock will not add records to it. ` +
        `Run \`mcp-dock audit verify\` for the details; to keep it as evidence and start a new log, move the folder away (for example to ${dir}.broken).`,
    );
  }
}

// The writer or a query was handed something it does not take: a malformed event or query, or
// an option out of range. Nothing was written.
export class AuditInputError extends DockError {
  constructor(message: string) {
    super('INVALID_INPUT', message);
  }
}
