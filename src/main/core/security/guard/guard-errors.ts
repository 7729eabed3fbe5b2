import { DockError, isDockError } from '../../../../shared/errors';

// The caller's token lacks a scope this call needs.
export class InsufficientScopeError extends DockError {
  // Each entry one requirement, already written out ("a or b" for any-of lists).
  constructor(missing: readonly string[]) {
    super(
      'INSUFFICIENT_SCOPE',
      `this tool needs the scope ${missing.join(' ')}, which the token does not grant`,
    );
  }
}

// The PII policy rejects the arguments or the result; `reason` is the policy's own message.
export class PiiRejectedError extends DockError {
  constructor(reason: string) {
    super('PII_REJECTED', reason);
  }
}

// The audit log could not take the call's first record, so the call was not run. The log's own
// code (AUDIT_FAILED, AUDIT_CHAIN_BROKEN) and reason are kept: they say what to do about it.
export class CallNotAuditedError extends DockError {
  constructor(cause: unknown) {
    super(
      isDockError(cause) ? cause.code : 'AUDIT_FAILED',
      `${
        isDockError(cause)
          ? cause.message
          : `The audit log cannot be used: ${cause instanceof Error ? cause.message : String(cause)}`
      }; the call was not run`,
      { cause },
    );
  }
}

// A call policy kept the call from running: the tool's policy is deny, or the person asked
// denied it (or did not answer in time). The message says which, and how to change it.
export class CallDeniedError extends DockError {
  constructor(reason: string) {
    super('CALL_DENIED', reason);
  }
}
