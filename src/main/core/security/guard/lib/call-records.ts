import { randomUUID } from 'node:crypto';
import { attemptEventType, type AuditEventInput } from '../../../../../shared/audit';
import type { Caller, GuardRules, SecurityServices } from '../types';

type Outcome = Pick<AuditEventInput, 'contains_pii' | 'action_taken' | 'outcome'> & {
  pii_types?: Record<string, number>;
  detail?: string;
};
type Attempt = Pick<AuditEventInput, 'contains_pii' | 'action_taken'> & {
  pii_types?: Record<string, number>;
};

const parameterCount = (args: unknown) =>
  args !== null && typeof args === 'object' ? Object.keys(args).length : args === undefined ? 0 : 1;

// The audit records of one call: types and counts only, never the values. A refused call gets
// one record; a forwarded one two under one call_id, its attempt and its outcome.
export class CallRecords {
  readonly callId = randomUUID();
  readonly #services: SecurityServices;
  readonly #logAccess: boolean;
  readonly #started: number;
  readonly #base: Omit<AuditEventInput, 'contains_pii' | 'action_taken'>;

  constructor(
    services: SecurityServices,
    call: GuardRules & { caller: Caller; args: unknown },
    started: number,
  ) {
    this.#services = services;
    this.#logAccess = call.logAccess !== false;
    this.#started = started;
    this.#base = {
      event_type: call.eventType ?? 'tool_call',
      tool_name: call.toolName,
      server: call.server,
      user_id: call.caller.userId,
      client_id: call.caller.clientId,
      parameter_count: parameterCount(call.args),
      call_id: this.callId,
    };
  }

  // A refusal is always logged; one that cannot be is thrown (the call was not run either way).
  refusal(event: Outcome): Promise<void> {
    return this.#write(event);
  }

  // Written before the call is forwarded; the caller does not forward one that fails.
  async attempt(event: Attempt): Promise<void> {
    if (!this.#logAccess) return;
    await this.#services.audit({
      ...this.#base,
      event_type: attemptEventType(this.#base.event_type),
      ...event,
    });
  }

  // After the call has run, its result (or its error) goes back whether or not the outcome could
  // be logged: failing it would invite a retry that runs it twice. The attempt is in the log.
  async outcome(event: Outcome, always: boolean): Promise<void> {
    if (!always && !this.#logAccess) return;
    await this.#write(event).catch(() => undefined);
  }

  async #write(event: Outcome): Promise<void> {
    await this.#services.audit({
      ...this.#base,
      ...event,
      duration_ms: Math.round((performance.now() - this.#started) * 1000) / 1000,
    });
  }
}
