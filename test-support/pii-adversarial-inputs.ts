// About 1 MB each, inputs that once cost (or could cost) the PII scanner time quadratic in their
// length. The scanner's tests check that each scan finishes (pii-scanner.test.ts, 'adversarial
// input'); the benchmark measures how fast (bench/sections/pii.ts, pii.adversarial).
export const ADVERSARIAL_PII_INPUTS: readonly (readonly [name: string, text: string])[] = [
  ['digits and spaces', '1 '.repeat(500_000)],
  ['colons', ':'.repeat(1_000_000)],
  ['hex and colons', 'ab:'.repeat(340_000)],
  ['JWT starts', 'eyJ'.repeat(340_000)],
  ['e-mail signs', 'a@'.repeat(500_000)],
  ['URL starts', 'http://'.repeat(150_000)],
  ['assignments', 'token='.repeat(170_000)],
  ['letters and digits', 'a1'.repeat(500_000)],
];
