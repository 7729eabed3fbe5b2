import { randomUUID } from 'node:crypto';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { attemptEventType, type AuditEventInput } from '../../../shared/audit';
import { isDockError } from '../../../shared/errors';
import type { PiiPolicy, SecurityConfig } from '../../../shared/security';
import { applyPolicyToValue, countTypes, type PolicyContext } from './policy/apply-policy';
import { resolvePolicy } from './policy/resolve-policy';

// What every secured tool call needs: the scanner and Fernet (through the policy context), the
// current config, and somewhere to write the audit event.
export interface SecurityServices {
  policyContext(options?: { requireEncryption?: boolean }): PolicyContext;
  config(): SecurityConfig;
  audit(event: AuditEventInput): Promise<unknown>;
  // Resolves once audit events can be written; a call that could not be audited never runs.
  auditReady(): Promise<void>;
}

export interface SecureToolOptions {
  // The tool's name in audit events, and the key for its per-tool policy.
  toolName: string;
  // Whose policy applies (our own tools: "mcp-dock").
  server: string;
  // A fixed policy; otherwise the one security.json gives this server and tool.
  piiPolicy?: PiiPolicy;
  // Adjusts whichever policy applies, e.g. to let through the token a tool exists to return.
  adjustPolicy?: (policy: PiiPolicy) => PiiPolicy;
  // PII that the policy would let through is Fernet-encrypted instead.
  requiresEncryption?: boolean;
  // false: successful calls are not logged (nor their attempts). Refusals and failures always are.
  logAccess?: boolean;
  // The type of the call's records: `tool_call` unless it is a prompt or resource read. The attempt
  // record's type is this plus `_attempt`.
  eventType?: string;
  // Every one of these must be in the caller's token; a list inside means any one of it.
  scopes?: readonly (string | readonly string[])[];
  // Tools whose input is meant to hold PII (the PII tester) see it as given: it is still
  // scanned and counted for the audit event, and their results still go through the policy.
  passArguments?: boolean;
}

export interface Caller {
  clientId: string;
  userId: string;
  scopes: readonly string[];
}

// auditCallId: set by secureTool for the handler (the call_id of its audit records).
export type ToolExtra = { authInfo?: AuthInfo; auditCallId?: string };
type Extra = ToolExtra;
export type ToolHandler<A, E extends Extra = Extra> = (
  args: A,
  extra: E,
) => CallToolResult | Promise<CallToolResult>;

// The caller as the OAuth token names it. Without a token (stdio, started by the local user who
// could read the data directory anyway) the caller is the local user with every scope.
export function callerOf(extra: Extra, local: Caller): Caller {
  const auth = extra.authInfo;
  if (!auth) return local;
  const sub = (auth.extra as { sub?: unknown } | undefined)?.sub;
  return {
    clientId: auth.clientId,
    userId: typeof sub === 'string' ? sub : auth.clientId,
    scopes: auth.scopes,
  };
}

// For tools whose whole point is to hand back a token (an access token, a Fernet token): the
// configured policy still governs every other entity type, and the audit event still counts it.
export const allowSecrets = (policy: PiiPolicy): PiiPolicy => ({
  ...policy,
  entities: { ...policy.entities, SECRET: 'allow' },
});

// For tools that describe this app's own endpoints: its loopback URLs are not anyone's data.
export const allowEndpoints = (policy: PiiPolicy): PiiPolicy => ({
  ...policy,
  entities: { ...policy.entities, URL: 'allow', IP_ADDRESS: 'allow', SECRET: 'allow' },
});

export function errorResult(code: string, message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: `${code}: ${message}` }] };
}

// The log could not take the attempt, so the call was not run; said as a tool error, like the
// other refusals, with the log's own code and reason.
function notAudited(error: unknown): CallToolResult {
  const code = isDockError(error) ? error.code : 'AUDIT_FAILED';
  const reason = isDockError(error)
    ? error.message
    : `The audit log cannot be used: ${error instanceof Error ? error.message : String(error)}`;
  return errorResult(code, `${reason}; the call was not run`);
}

const parameterCount = (args: unknown) =>
  args !== null && typeof args === 'object' ? Object.keys(args).length : args === undefined ? 0 : 1;

// The guide's secure_tool decorator: checks the caller's scopes, scans arguments and results,
// applies the PII policy to both, and audits with types and counts only. A call that is refused
// gets one record; one that is forwarded gets two, under one call_id: its attempt, written before
// the handler runs (a call that cannot be audited never runs), and its outcome, after.
export function secureTool<A, E extends Extra>(
  handler: ToolHandler<A, E>,
  options: SecureToolOptions,
  services: SecurityServices,
  local: Caller,
): ToolHandler<A, E> {
  const eventType = options.eventType ?? 'tool_call';
  return async (args, extra) => {
    const started = performance.now();
    try {
      await services.auditReady();
    } catch (error) {
      return notAudited(error);
    }
    const caller = callerOf(extra, local);
    const base = {
      event_type: eventType,
      tool_name: options.toolName,
      server: options.server,
      user_id: caller.userId,
      client_id: caller.clientId,
      parameter_count: parameterCount(args),
      call_id: randomUUID(),
    };
    const finish = async (
      event: Pick<AuditEventInput, 'contains_pii' | 'action_taken' | 'outcome'> & {
        pii_types?: Record<string, number>;
        detail?: string;
      },
      always: boolean,
    ) => {
      if (!always && options.logAccess === false) return;
      await services.audit({
        ...base,
        ...event,
        duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
      } as AuditEventInput);
    };
    // After the call has run, its result (or its error) goes back whether or not the outcome could
    // be logged: failing it would invite a retry that runs it twice. The attempt is in the log.
    const finishRan = (...a: Parameters<typeof finish>) => finish(...a).catch(() => undefined);

    const missing = (options.scopes ?? [])
      .filter((s) =>
        typeof s === 'string' ? !caller.scopes.includes(s) : !s.some((x) => caller.scopes.includes(x)),
      )
      .map((s) => (typeof s === 'string' ? s : s.join(' or ')));
    if (missing.length > 0) {
      const message = `this tool needs the scope ${missing.join(' ')}, which the token does not grant`;
      await finish(
        { contains_pii: false, action_taken: 'denied', outcome: 'denied', detail: 'insufficient_scope' },
        true,
      );
      return errorResult('INSUFFICIENT_SCOPE', message);
    }

    const resolved = options.piiPolicy ?? resolvePolicy(services.config(), options.server, options.toolName);
    const policy = options.adjustPolicy ? options.adjustPolicy(resolved) : resolved;
    const ctx = services.policyContext({ requireEncryption: options.requiresEncryption === true });
    const passed = options.passArguments
      ? { action: 'allowed' as const, value: args, piiTypes: scanCounts(args, ctx) }
      : applyPolicyToValue(args, policy, ctx);
    if (passed.action === 'rejected') {
      await finish(
        { contains_pii: true, pii_types: passed.piiTypes, action_taken: 'rejected', outcome: 'rejected' },
        true,
      );
      return errorResult('PII_REJECTED', passed.message ?? 'the arguments hold PII');
    }

    if (options.logAccess !== false) {
      try {
        await services.audit({
          ...base,
          event_type: attemptEventType(eventType),
          contains_pii: hasAny(passed.piiTypes),
          pii_types: passed.piiTypes,
          action_taken: passed.action,
        } as AuditEventInput);
      } catch (error) {
        return notAudited(error);
      }
    }

    let result: CallToolResult;
    try {
      result = await handler(passed.value as A, { ...extra, auditCallId: base.call_id });
    } catch (error) {
      await finishRan(
        {
          contains_pii: hasAny(passed.piiTypes),
          pii_types: passed.piiTypes,
          action_taken: passed.action,
          outcome: 'error',
        },
        true,
      );
      throw error;
    }

    const returned = applyPolicyToValue(result, policy, ctx);
    const piiTypes = mergeCounts(passed.piiTypes, returned.piiTypes);
    const strongest = returned.action === 'allowed' ? passed.action : returned.action;
    if (returned.action === 'rejected') {
      await finishRan(
        { contains_pii: true, pii_types: piiTypes, action_taken: 'rejected', outcome: 'rejected' },
        true,
      );
      return errorResult('PII_REJECTED', returned.message ?? 'the result holds PII');
    }
    await finishRan(
      {
        contains_pii: hasAny(piiTypes),
        pii_types: piiTypes,
        action_taken: strongest,
        outcome: result.isError ? 'error' : 'ok',
      },
      result.isError === true,
    );
    return returned.value as CallToolResult;
  };
}

function scanCounts(value: unknown, ctx: PolicyContext): Record<string, number> {
  const counts: Record<string, number> = {};
  const visit = (node: unknown): void => {
    if (typeof node === 'string')
      countTypes(
        ctx.scanner.scan(node, { threshold: ctx.threshold, timeBudgetMs: ctx.timeBudgetMs }).findings,
        counts,
      );
    else if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') Object.values(node).forEach(visit);
  };
  visit(value);
  return counts;
}

const hasAny = (types: Record<string, number>) => Object.values(types).some((n) => n > 0);

function mergeCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
}
