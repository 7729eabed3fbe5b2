import { describe, expect, it } from 'vitest';
import { shapeOf } from './group-shape';
import { driverLicenceScore, LICENCE_AFTER_REGION, LICENCE_GROUPED } from './driver-licence';
import { ScanContext } from './scan-context';

// The score of `number` where it stands in `text`, read as `groups` groups of `shape`.
function scoreIn(
  text: string,
  number: string,
  groups: number,
  shape: number,
  wanted: string[] | null = null,
) {
  const ctx = new ScanContext(text, 0, wanted && new Set(wanted), Infinity, () => 0);
  const start = text.indexOf(number);
  return driverLicenceScore(ctx, number.replace(/\D/g, ''), groups, shape, start, start + number.length);
}

describe('driverLicenceScore', () => {
  it('reads region-code-first licences, more surely next to a word for them', () => {
    expect(scoreIn('no. 11-12-345678-90', '11-12-345678-90', 4, LICENCE_GROUPED)).toBe(0.7);
    expect(scoreIn('운전면허 11-12-345678-90', '11-12-345678-90', 4, LICENCE_GROUPED)).toBeCloseTo(1.0);
    expect(scoreIn('no. 31-12-345678-90', '31-12-345678-90', 4, LICENCE_GROUPED)).toBe(0);
  });

  it('reads the older form after a region name, and guesses low without one', () => {
    expect(scoreIn('서울 12-345678-90', '12-345678-90', 3, LICENCE_AFTER_REGION)).toBe(0.9);
    expect(scoreIn('서울12-345678-90', '12-345678-90', 3, LICENCE_AFTER_REGION)).toBe(0.9);
    // A region name that ends a longer word ("남서울") is not one.
    expect(scoreIn('남서울 12-345678-90', '12-345678-90', 3, LICENCE_AFTER_REGION)).toBe(0.3);
    expect(scoreIn('code 12-345678-90', '12-345678-90', 3, LICENCE_AFTER_REGION)).toBe(0.3);
  });

  it('takes twelve bare digits with a region code as a licence only when the text says so', () => {
    expect(scoreIn('licence 112345678901', '112345678901', 1, shapeOf(12))).toBe(0.65);
    expect(scoreIn('order 112345678901', '112345678901', 1, shapeOf(12))).toBe(0.25);
    expect(scoreIn('licence 912345678901', '912345678901', 1, shapeOf(12))).toBe(0);
  });

  it('is 0 when nobody asked for licences', () => {
    expect(scoreIn('서울 12-345678-90', '12-345678-90', 3, LICENCE_AFTER_REGION, ['PHONE_NUMBER'])).toBe(0);
  });
});
