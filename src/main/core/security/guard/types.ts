import type { AuditEventInput } from '../../../../shared/audit';
import type { PiiPolicy, SecurityConfig } from '../../../../shared/security';
import type { PolicyContext } from '../policy/apply-policy';
import type { ToolWithheldError } from '../pins';
import type {
  CallDeniedError,
  CallNotAuditedError,
  InsufficientScopeError,
  PiiRejectedError,
} from './guard-errors';

// What every guarded call needs: the scanner and Fernet (through the policy context), the
// current config, and somewhere to write the audit records.
export interface SecurityServices {
  policyContext(options?: { requireEncryption?: boolean }): PolicyContext;
  config(): SecurityConfig;
  audit(event: AuditEventInput): Promise<unknown>;
  // Resolves once audit events can be written; a call that could not be audited never runs.
  auditReady(): Promise<void>;
}

// Who is calling, as their token names them (or the local user, who holds every scope).
export interface Caller {
  clientId: string;
  userId: string;
  scopes: readonly string[];
}

// A scope the caller must hold; a list means any one of it.
export type ScopeRequirement = string | readonly string[];

// How one kind of call is guarded; the same for every call of it.
export interface GuardRules {
  // The name in audit records (a tool's, a prompt's, a resource's URI), and the key for the
  // per-tool policy.
  toolName: string;
  // Whose policy applies (our own tools: "mcp-dock").
  server: string;
  // A fixed policy; otherwise the one security.json gives this server and tool.
  piiPolicy?: PiiPolicy;
  // The profile's PII policy the call came through: in place of the server's and the default.
  profilePiiPolicy?: PiiPolicy | undefined;
  // Adjusts whichever policy applies, e.g. to let through the token a tool exists to return.
  adjustPolicy?: (policy: PiiPolicy) => PiiPolicy;
  // PII that the policy would let through is Fernet-encrypted instead.
  requiresEncryption?: boolean;
  // false: successful calls are not logged (nor their attempts). Refusals and failures always are.
  logAccess?: boolean;
  // The type of the call's records: `tool_call` unless it is a prompt or resource read. The attempt
  // record's type is this plus `_attempt`.
  eventType?: string;
  // Every one of these must be in the caller's scopes.
  scopes?: readonly ScopeRequirement[];
  // Calls whose input is meant to hold PII (the PII tester) get it as given: it is still
  // scanned and counted for the audit records, and their results still go through the policy.
  passArguments?: boolean;
}

// One call to guard: plain values, whatever protocol brought it.
export interface GuardedCall<A, T> extends GuardRules {
  caller: Caller;
  args: A;
  // The request's `_meta` the server is to receive (a trace id...): it goes through the same PII
  // policy as the arguments, since a client can put anything there.
  meta?: Record<string, unknown> | undefined;
  // After the scopes, before anything else: whether MCP Dock's rules let this call run at all (a
  // pinned tool's status, its call policy and a person's answer). A refusal is recorded as denied,
  // with its detail.
  gate?: () => Promise<GateRefusal | undefined>;
  // Runs the call with the arguments (and `_meta`) as the policy left them; callId links its
  // audit records.
  forward(args: A, callId: string, meta?: Record<string, unknown>): T | Promise<T>;
  // A result that reports a failure (a tool result with isError): its outcome is `error`, and it
  // is logged even when logAccess is false.
  failed?(result: T): boolean;
}

// Why a call was not run, or its result not handed back. Each says so with a code clients see.
export type GuardRefusal =
  InsufficientScopeError | PiiRejectedError | CallNotAuditedError | ToolWithheldError | CallDeniedError;

// What a gate refuses with, and the short, PII-free reason for the audit record.
export interface GateRefusal {
  error: ToolWithheldError | CallDeniedError;
  detail: string;
}

// A refusal is an answer, not an exception: only the forwarded call's own failure is thrown.
export type GuardOutcome<T> = { ok: true; value: T; callId: string } | { ok: false; refusal: GuardRefusal };
