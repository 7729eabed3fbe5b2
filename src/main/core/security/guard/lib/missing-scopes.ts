import type { ScopeRequirement } from '../types';

// The requirements the granted scopes do not meet, written out for a refusal ("a or b").
export function missingScopes(required: readonly ScopeRequirement[], granted: readonly string[]): string[] {
  return required
    .filter((s) => (typeof s === 'string' ? !granted.includes(s) : !s.some((x) => granted.includes(x))))
    .map((s) => (typeof s === 'string' ? s : s.join(' or ')));
}
