import { isHangulSyllable } from './chars';
import { CONTEXT, CONTEXT_BOOST, hasContext } from './context-words';
import { shapeOf } from './group-shape';
import { LICENSE_REGIONS } from './korean';
import type { ScanContext } from './scan-context';

// The shapes a Korean driver's licence number is written in, besides twelve bare digits.
export const LICENCE_GROUPED = shapeOf(2, 2, 6, 2);
export const LICENCE_AFTER_REGION = shapeOf(2, 6, 2);

// Korean driver's licence: region code 11-28, "11-12-345678-90"; or the older "서울 12-345678-90".
// The score of digits [start, end) as a licence number (of `groups` groups in `shape`); 0: not one.
export function driverLicenceScore(
  ctx: ScanContext,
  digits: string,
  groups: number,
  shape: number,
  start: number,
  end: number,
): number {
  if (!ctx.wants('KR_DRIVER_LICENSE')) return 0;
  const region = Number(digits.slice(0, 2));
  const regionCode = region >= 11 && region <= 28;
  const boost = () => (hasContext(ctx.text, start, end, CONTEXT.license) ? CONTEXT_BOOST : 0);
  if (shape === LICENCE_GROUPED) return regionCode ? 0.7 + boost() : 0;
  if (shape === LICENCE_AFTER_REGION) {
    const text = ctx.text;
    let k = start;
    if (k > 0 && text.charCodeAt(k - 1) === 32) k--;
    const named =
      k >= 2 && LICENSE_REGIONS.has(text.slice(k - 2, k)) && !isHangulSyllable(text.charCodeAt(k - 3));
    return named ? 0.9 : 0.3 + boost();
  }
  // Twelve bare digits are a licence only when the text says so.
  if (groups === 1 && regionCode) return hasContext(ctx.text, start, end, CONTEXT.license) ? 0.65 : 0.25;
  return 0;
}
