import type { PiiFinding } from '../../../../shared/pii';
import {
  ACTION_STRENGTH,
  type PiiAction,
  type PiiPolicy,
  type PolicyOutcome,
} from '../../../../shared/security';

// What the policy code needs from the scanner and from Fernet; small so tests can pass fakes.
export interface TextScanner {
  scan(
    text: string,
    options?: { threshold?: number; timeBudgetMs?: number },
  ): { findings: PiiFinding[]; timedOut: boolean };
}
export interface Encrypter {
  encrypt(data: string): string;
}

export interface PolicyContext {
  scanner: TextScanner;
  fernet: () => Encrypter;
  threshold: number;
  timeBudgetMs: number;
  // Raise `allow` and `mask`/`redact` to `encrypt` for values with PII (secureTool's requiresEncryption).
  requireEncryption?: boolean;
}

const OUTCOME: Record<PiiAction, PolicyOutcome['action']> = {
  allow: 'allowed',
  mask: 'masked',
  redact: 'redacted',
  encrypt: 'encrypted',
  reject: 'rejected',
};

export const REDACTED = '[REDACTED]';

export function actionFor(policy: PiiPolicy, type: string, requireEncryption = false): PiiAction {
  const action = policy.entities[type] ?? policy.action;
  return requireEncryption && ACTION_STRENGTH[action] < ACTION_STRENGTH.encrypt ? 'encrypt' : action;
}

function canReject(policy: PiiPolicy): boolean {
  return policy.action === 'reject' || Object.values(policy.entities).includes('reject');
}

export function countTypes(findings: readonly PiiFinding[], into: Record<string, number> = {}) {
  for (const f of findings) into[f.type] = (into[f.type] ?? 0) + 1;
  return into;
}

// "EMAIL_ADDRESS ×1, PHONE_NUMBER ×2": what a refusal may say about the data.
export function describeTypes(types: Record<string, number>): string {
  return Object.entries(types)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `${type} ×${n}`)
    .join(', ');
}

export function rejectionMessage(types: Record<string, number>, timedOut = false): string {
  return timedOut
    ? 'Refused: the PII scan did not finish within its time bound, and this policy fails closed'
    : `Refused: the data contains PII (${describeTypes(types)}) and the policy rejects it`;
}

// Replaces each finding in place; findings are sorted and do not overlap (the scanner's promise).
function rewrite(text: string, findings: readonly PiiFinding[], policy: PiiPolicy, ctx: PolicyContext) {
  let out = '';
  let at = 0;
  for (const f of findings) {
    const action = actionFor(policy, f.type, ctx.requireEncryption);
    if (action === 'allow') continue;
    out += text.slice(at, f.start);
    if (action === 'redact') out += REDACTED;
    else if (policy.maskStyle === 'placeholder') out += `<${f.type}>`;
    else out += '*'.repeat(f.end - f.start);
    at = f.end;
  }
  return out + text.slice(at);
}

// The outcome of one string under one policy, given what the scanner found in it.
export function applyPolicyToFindings(
  text: string,
  findings: readonly PiiFinding[],
  timedOut: boolean,
  policy: PiiPolicy,
  ctx: PolicyContext,
): PolicyOutcome {
  const piiTypes = countTypes(findings);
  if (timedOut && canReject(policy))
    return { action: 'rejected', piiTypes, message: rejectionMessage(piiTypes, true), timedOut: true };
  const timeout = timedOut ? { timedOut: true } : {};
  if (findings.length === 0) return { action: 'allowed', piiTypes, text, ...timeout };
  const strongest = findings
    .map((f) => actionFor(policy, f.type, ctx.requireEncryption))
    .reduce((a, b) => (ACTION_STRENGTH[b] > ACTION_STRENGTH[a] ? b : a));
  if (strongest === 'reject') return { action: 'rejected', piiTypes, message: rejectionMessage(piiTypes) };
  if (strongest === 'encrypt')
    return { action: 'encrypted', piiTypes, text: ctx.fernet().encrypt(text), ...timeout };
  return { action: OUTCOME[strongest], piiTypes, text: rewrite(text, findings, policy, ctx), ...timeout };
}

export function applyPolicyToText(text: string, policy: PiiPolicy, ctx: PolicyContext): PolicyOutcome {
  const { findings, timedOut } = ctx.scanner.scan(text, {
    threshold: ctx.threshold,
    timeBudgetMs: ctx.timeBudgetMs,
  });
  return applyPolicyToFindings(text, findings, timedOut, policy, ctx);
}

export interface ValueOutcome {
  action: PolicyOutcome['action'];
  piiTypes: Record<string, number>;
  value?: unknown;
  message?: string;
}

// Tool arguments and results are JSON: every string inside is scanned (keys are names, not data)
// under one time bound for the whole value; one rejected string rejects the whole value.
export function applyPolicyToValue(value: unknown, policy: PiiPolicy, ctx: PolicyContext): ValueOutcome {
  const deadline = performance.now() + ctx.timeBudgetMs;
  const piiTypes: Record<string, number> = {};
  let strongest: PolicyOutcome['action'] = 'allowed';
  let rejected: PolicyOutcome | undefined;
  const rank = (a: PolicyOutcome['action']) =>
    ACTION_STRENGTH[(Object.keys(OUTCOME) as PiiAction[]).find((k) => OUTCOME[k] === a)!];

  const visit = (node: unknown): unknown => {
    if (rejected !== undefined) return undefined;
    if (typeof node === 'string') {
      const budget = Math.max(0, deadline - performance.now());
      const outcome =
        budget > 0
          ? applyPolicyToText(node, policy, { ...ctx, timeBudgetMs: budget })
          : applyPolicyToFindings(node, [], true, policy, ctx);
      countInto(piiTypes, outcome.piiTypes);
      if (rank(outcome.action) > rank(strongest)) strongest = outcome.action;
      if (outcome.action === 'rejected') rejected = outcome;
      return outcome.text;
    }
    if (Array.isArray(node)) return node.map(visit);
    if (node !== null && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, visit(v)]));
    return node;
  };
  const next = visit(value);
  if (rejected !== undefined)
    return { action: 'rejected', piiTypes, message: rejectionMessage(piiTypes, rejected.timedOut === true) };
  return { action: strongest, piiTypes, value: next };
}

function countInto(into: Record<string, number>, from: Record<string, number>) {
  for (const [type, n] of Object.entries(from)) into[type] = (into[type] ?? 0) + n;
}
