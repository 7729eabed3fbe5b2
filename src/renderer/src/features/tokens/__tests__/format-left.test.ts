import { describe, expect, it } from 'vitest';
import { formatLeft } from '../lib/format-left';

// An expiry in epoch seconds (a JWT's `exp`) against a clock in milliseconds (useNow).
const NOW_MS = 1_800_000_000_500;
const NOW_S = 1_800_000_000;

describe('formatLeft', () => {
  it('says seconds alone under a minute, and minutes with seconds above', () => {
    expect(formatLeft(NOW_S + 42, NOW_MS)).toBe('42 s left');
    expect(formatLeft(NOW_S + 60, NOW_MS)).toBe('1 min 0 s left');
    expect(formatLeft(NOW_S + 5 * 60 + 3, NOW_MS)).toBe('5 min 3 s left');
  });

  it('counts whole seconds, as the expiry is given: a second counts until it is over', () => {
    expect(formatLeft(NOW_S + 1, NOW_S * 1000)).toBe('1 s left');
    expect(formatLeft(NOW_S + 1, NOW_S * 1000 + 999)).toBe('1 s left');
    expect(formatLeft(NOW_S + 1, (NOW_S + 1) * 1000)).toBe('expired');
  });

  it('says expired at the expiry and after it', () => {
    expect(formatLeft(NOW_S, NOW_MS)).toBe('expired');
    expect(formatLeft(NOW_S - 10, NOW_MS)).toBe('expired');
  });
});
