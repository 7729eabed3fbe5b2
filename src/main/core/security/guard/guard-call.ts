import { applyPolicyToValue } from '../policy/apply-policy';
import { resolvePolicy } from '../policy/resolve-policy';
import { CallNotAuditedError, InsufficientScopeError, PiiRejectedError } from './guard-errors';
import { CallRecords } from './lib/call-records';
import { missingScopes } from './lib/missing-scopes';
import { hasAny, mergeCounts, scanCounts } from './lib/pii-counts';
import type { GuardedCall, GuardOutcome, GuardRefusal, SecurityServices } from './types';

const refused = (refusal: GuardRefusal) => ({ ok: false, refusal }) as const;

// One check per call, in DESIGN.md §5's order: the caller's scopes, the PII policy on the
// arguments, the attempt record (a call the log cannot take is not forwarded), the call, the
// PII policy on its result, the outcome record. The tool wrapper (secureTool) and the gateway's
// prompts and resources all come through here with plain values.
export async function guardCall<A, T>(
  services: SecurityServices,
  call: GuardedCall<A, T>,
): Promise<GuardOutcome<T>> {
  const started = performance.now();
  try {
    await services.auditReady();
  } catch (error) {
    return refused(new CallNotAuditedError(error));
  }
  const records = new CallRecords(services, call, started);

  const missing = missingScopes(call.scopes ?? [], call.caller.scopes);
  if (missing.length > 0) {
    await records.refusal({
      contains_pii: false,
      action_taken: 'denied',
      outcome: 'denied',
      detail: 'insufficient_scope',
    });
    return refused(new InsufficientScopeError(missing));
  }

  const gated = await call.gate?.();
  if (gated) {
    await records.refusal({
      contains_pii: false,
      action_taken: 'denied',
      outcome: 'denied',
      detail: gated.detail,
    });
    return refused(gated.error);
  }

  const resolved =
    call.piiPolicy ?? resolvePolicy(services.config(), call.server, call.toolName, call.profilePiiPolicy);
  const policy = call.adjustPolicy ? call.adjustPolicy(resolved) : resolved;
  const ctx = services.policyContext({ requireEncryption: call.requiresEncryption === true });
  const passed = call.passArguments
    ? { action: 'allowed' as const, value: call.args, piiTypes: scanCounts(call.args, ctx) }
    : applyPolicyToValue(call.args, policy, ctx);
  const meta = call.meta === undefined ? undefined : applyPolicyToValue(call.meta, policy, ctx);
  const rejected = passed.action === 'rejected' ? passed : meta?.action === 'rejected' ? meta : undefined;
  if (rejected) {
    await records.refusal({
      contains_pii: true,
      pii_types: mergeCounts(passed.piiTypes, meta?.piiTypes ?? {}),
      action_taken: 'rejected',
      outcome: 'rejected',
    });
    const what = rejected === passed ? 'the arguments hold PII' : 'the request _meta holds PII';
    return refused(new PiiRejectedError(rejected.message ?? what));
  }

  const sentTypes = meta ? mergeCounts(passed.piiTypes, meta.piiTypes) : passed.piiTypes;
  const sent = { contains_pii: hasAny(sentTypes), pii_types: sentTypes };
  try {
    await records.attempt({ ...sent, action_taken: passed.action });
  } catch (error) {
    return refused(new CallNotAuditedError(error));
  }

  let result: T;
  try {
    result = await (meta
      ? call.forward(passed.value as A, records.callId, meta.value as Record<string, unknown>)
      : call.forward(passed.value as A, records.callId));
  } catch (error) {
    await records.outcome({ ...sent, action_taken: passed.action, outcome: 'error' }, true);
    throw error;
  }

  const returned = applyPolicyToValue(result, policy, ctx);
  const piiTypes = mergeCounts(passed.piiTypes, returned.piiTypes);
  if (returned.action === 'rejected') {
    await records.outcome(
      { contains_pii: true, pii_types: piiTypes, action_taken: 'rejected', outcome: 'rejected' },
      true,
    );
    return refused(new PiiRejectedError(returned.message ?? 'the result holds PII'));
  }
  const failed = call.failed?.(result) === true;
  await records.outcome(
    {
      contains_pii: hasAny(piiTypes),
      pii_types: piiTypes,
      action_taken: returned.action === 'allowed' ? passed.action : returned.action,
      outcome: failed ? 'error' : 'ok',
    },
    failed,
  );
  return { ok: true, value: returned.value as T, callId: records.callId };
}
