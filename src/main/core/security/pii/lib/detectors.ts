import { namesDetector } from './detect-names';
import { emailDetector } from './detect-email';
import { networkDetector } from './detect-network';
import { numbersDetector } from './detect-numbers';
import { secretsDetector } from './detect-secrets';
import { urlDetector } from './detect-url';
import type { Detector } from './scan-context';

// Cheapest and most common first, so a tight budget still covers them.
const BUILT_IN: readonly Detector[] = [
  emailDetector,
  numbersDetector,
  secretsDetector,
  namesDetector,
  urlDetector,
  networkDetector,
];

export function detectorsFor(wanted: ReadonlySet<string> | null): readonly Detector[] {
  if (wanted === null) return BUILT_IN;
  return BUILT_IN.filter((detector) => detector.types.some((type) => wanted.has(type)));
}
