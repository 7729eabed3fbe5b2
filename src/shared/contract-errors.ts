import type { z } from 'zod';
import { DockError, formatZodError, type ErrorPayload } from './errors';

// The failures of the contract's own wiring (contract-client, contract-server, the IPC and
// WebSocket bindings), as opposed to those of the calls it carries. They live in shared because
// both ends raise them and shared imports nothing else. `call` is "domain.member".

// The input does not match the call's schema: checked before it leaves and again where it arrives.
export class CallInputError extends DockError {
  constructor(call: string, error: z.ZodError) {
    super('INVALID_INPUT', `${call}: ${formatZodError(error)}`, { cause: error });
  }
}

export class UnexpectedInputError extends DockError {
  constructor(call: string) {
    super('INVALID_INPUT', `${call} takes no input`);
  }
}

// What came back is not an envelope at all (the other side is not core, or not this version of it).
export class MalformedReplyError extends DockError {
  constructor(call: string) {
    super('INVALID_OUTPUT', `${call}: malformed reply from core`);
  }
}

// A result that does not match the call's output schema; `side` is where it was caught: by core
// before sending it, or by the caller on arrival.
export class CallResultError extends DockError {
  constructor(call: string, error: z.ZodError, side: 'core' | 'caller') {
    super(
      'INVALID_OUTPUT',
      `${call} ${side === 'core' ? 'produced' : 'returned'} an invalid result: ${formatZodError(error)}`,
      { cause: error },
    );
  }
}

// The error core answered with, rebuilt on the caller's side: its class did not cross, its code did.
export class RemoteError extends DockError {
  constructor(payload: ErrorPayload) {
    super(payload.code, payload.message);
  }
}

// A channel that is not in the contract (a stale or hostile page).
export class UnknownCallError extends DockError {
  constructor(channel: string) {
    super('UNKNOWN_CALL', `no call named ${channel}`);
  }
}

// The IPC sender is not our own top-level page (an iframe, a page that navigated away, a foreign
// origin): nothing is wrong with its input, it may not call at all.
export class UntrustedSenderError extends DockError {
  constructor() {
    super('UNTRUSTED_SENDER', 'calls are accepted only from the MCP Dock window');
  }
}

// The contract or its implementation is malformed: a defect of the build found when it is bound,
// never something a user did.
export class ContractDefectError extends DockError {
  constructor(detail: string) {
    super('INTERNAL', detail);
  }
}
