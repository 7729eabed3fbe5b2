import { randomUUID } from 'node:crypto';
import type { AuditEventInput } from '../../../shared/audit';
import type { PendingApproval } from '../../../shared/approvals';
import { ApprovalNotFoundError } from './gateway-errors';

export type Decider = 'panel' | 'cli' | 'client';

// How a held call ended. `always`: the person allowed the tool for this client from now on.
export type ApprovalOutcome =
  | { allowed: true; by: Decider; always: boolean; waitedMs: number }
  | { allowed: false; by: Decider | 'timeout' | 'cancelled'; waitedMs: number };

export interface ApprovalRequest {
  server: string;
  tool: string;
  clientId: string;
  clientName?: string | undefined;
  userId: string;
  // Already masked.
  arguments: unknown;
  // The caller gave up (cancelled, disconnected): the question is withdrawn.
  signal?: AbortSignal;
  // Asks the calling client too; its answer counts like the panel's. Aborted once decided.
  askClient?: ((signal: AbortSignal) => Promise<boolean>) | undefined;
}

interface Held {
  view: PendingApproval;
  started: number;
  settle(outcome: ApprovalOutcome): void;
}

export interface CallApprovalsOptions {
  timeoutMs: () => number;
  audit(event: AuditEventInput): Promise<unknown>;
  now?: () => number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// Calls held for a person: each waits until the panel, the CLI or (if enabled) the calling client
// answers, or the time runs out, which denies it. The request and the decision are audited, with
// who decided and how long the call waited.
export class CallApprovals {
  readonly #options: CallApprovalsOptions;
  readonly #held = new Map<string, Held>();
  readonly #listeners = new Set<(pending: PendingApproval[]) => void>();

  constructor(options: CallApprovalsOptions) {
    this.#options = options;
  }

  list(): PendingApproval[] {
    return [...this.#held.values()].map((h) => h.view);
  }

  onChange(listener: (pending: PendingApproval[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async ask(request: ApprovalRequest): Promise<ApprovalOutcome> {
    const now = this.#now();
    const timeoutMs = this.#options.timeoutMs();
    const id = randomUUID();
    const view: PendingApproval = {
      id,
      server: request.server,
      tool: request.tool,
      client_id: request.clientId,
      ...(request.clientName ? { client_name: request.clientName } : {}),
      user_id: request.userId,
      arguments: request.arguments,
      requested_at: new Date(now).toISOString(),
      expires_at: new Date(now + timeoutMs).toISOString(),
      asked_in_client: request.askClient !== undefined,
    };
    await this.#audit(
      request,
      'approval_requested',
      'asked',
      `held for a person, ${seconds(timeoutMs)} at most`,
    );

    const asking = new AbortController();
    const outcome = await new Promise<ApprovalOutcome>((resolve) => {
      let done = false;
      const settle = (result: ApprovalOutcome) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
        asking.abort();
        this.#held.delete(id);
        this.#changed();
        resolve(result);
      };
      const waited = () => this.#now() - now;
      const timer = setTimeout(
        () => settle({ allowed: false, by: 'timeout', waitedMs: waited() }),
        timeoutMs,
      );
      const onAbort = () => settle({ allowed: false, by: 'cancelled', waitedMs: waited() });
      if (request.signal?.aborted) return onAbort();
      request.signal?.addEventListener('abort', onAbort, { once: true });
      this.#held.set(id, { view, started: now, settle });
      this.#changed();
      request.askClient?.(asking.signal).then(
        (allowed) =>
          settle(
            allowed
              ? { allowed: true, by: 'client', always: false, waitedMs: waited() }
              : { allowed: false, by: 'client', waitedMs: waited() },
          ),
        // A client that cannot answer leaves the question to the panel.
        () => undefined,
      );
    });

    const detail =
      outcome.by === 'timeout'
        ? `no answer within ${seconds(timeoutMs)}`
        : outcome.by === 'cancelled'
          ? `the caller gave up after ${seconds(outcome.waitedMs)}`
          : `by ${outcome.by} after ${seconds(outcome.waitedMs)}${outcome.allowed && outcome.always ? '; always for this client' : ''}`;
    await this.#audit(
      request,
      'approval_decided',
      outcome.allowed ? 'allowed' : 'denied',
      detail,
      outcome.waitedMs,
    );
    return outcome;
  }

  // The person's answer to one held call.
  decide(id: string, decision: { allow: boolean; always?: boolean; by: Decider }): PendingApproval {
    const held = this.#held.get(id);
    if (!held) throw new ApprovalNotFoundError(id);
    const waitedMs = this.#now() - held.started;
    held.settle(
      decision.allow
        ? { allowed: true, by: decision.by, always: decision.always === true, waitedMs }
        : { allowed: false, by: decision.by, waitedMs },
    );
    return held.view;
  }

  // Closing the app: nothing held is run.
  close(): void {
    for (const held of [...this.#held.values()])
      held.settle({ allowed: false, by: 'cancelled', waitedMs: 0 });
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }

  #changed(): void {
    const pending = this.list();
    for (const listener of this.#listeners) listener(pending);
  }

  async #audit(
    request: ApprovalRequest,
    eventType: string,
    action: string,
    detail: string,
    waitedMs?: number,
  ): Promise<void> {
    await this.#options
      .audit({
        event_type: eventType,
        tool_name: request.tool,
        server: request.server,
        user_id: request.userId,
        client_id: request.clientId,
        contains_pii: false,
        action_taken: action,
        parameter_count:
          request.arguments && typeof request.arguments === 'object'
            ? Object.keys(request.arguments).length
            : 0,
        detail,
        ...(waitedMs !== undefined ? { duration_ms: waitedMs } : {}),
      })
      .catch(() => undefined);
  }
}
