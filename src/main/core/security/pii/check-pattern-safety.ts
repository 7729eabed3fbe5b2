import { analyseRegex } from './lib/redos';
import { PatternSyntaxError, translatePattern } from './lib/python-regex';

export type PatternSafety = { safe: true } | { safe: false; reason: string };

// Whether a custom pattern may run on every tool call. Refused: patterns that do not compile,
// that match the empty string, or that can backtrack catastrophically: exponential time, or
// polynomial of degree 3 or more. Degree 2 is accepted, because nearly every unanchored
// `\w+@…`-style pattern (the guide's e-mail pattern among them) is quadratic when searched, and
// the scanner runs custom patterns over bounded chunks of text, which caps that cost.
export function checkPatternSafety(source: string, flags = ''): PatternSafety {
  let translated;
  try {
    translated = translatePattern(source, flags);
  } catch (error) {
    if (error instanceof PatternSyntaxError)
      return { safe: false, reason: `it does not compile: ${error.message}` };
    throw error;
  }
  let compiled: RegExp;
  try {
    compiled = new RegExp(translated.source, translated.flags);
  } catch (error) {
    return { safe: false, reason: `it does not compile: ${(error as Error).message}` };
  }
  const result = analyseRegex(translated.analysisSource, translated.flags);
  const empty = compiled.test('');
  if (result.status === 'safe') {
    return empty
      ? { safe: false, reason: 'it matches the empty string, so it would match everywhere' }
      : { safe: true };
  }
  if (result.status === 'unknown') {
    const detail = 'message' in result.error ? `: ${result.error.message}` : '';
    return {
      safe: false,
      reason: `it could not be shown to be free of catastrophic backtracking (${result.error.kind}${detail})`,
    };
  }
  const attack = describeAttack(result.attack.pattern);
  if (result.complexity.type === 'exponential') {
    return {
      safe: false,
      reason: `it can backtrack catastrophically: exponential time on input such as ${attack}`,
    };
  }
  if (result.complexity.degree >= 3) {
    return {
      safe: false,
      reason: `it can backtrack catastrophically: O(n^${result.complexity.degree}) time on input such as ${attack}`,
    };
  }
  if (empty) return { safe: false, reason: 'it matches the empty string, so it would match everywhere' };
  return { safe: true };
}

function describeAttack(pattern: string): string {
  return pattern.length > 80 ? `${pattern.slice(0, 77)}...` : pattern;
}
