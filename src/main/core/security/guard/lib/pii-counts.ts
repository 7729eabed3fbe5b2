import { countTypes, type PolicyContext } from '../../policy/apply-policy';

// Entity counts of every string in a JSON value, for arguments that pass as given.
export function scanCounts(value: unknown, ctx: PolicyContext): Record<string, number> {
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

export const hasAny = (types: Record<string, number>) => Object.values(types).some((n) => n > 0);

export function mergeCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
}
