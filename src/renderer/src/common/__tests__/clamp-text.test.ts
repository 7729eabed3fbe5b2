import { describe, expect, it } from 'vitest';
import { clampText } from '../clamp-text';

describe('clampText', () => {
  it('leaves a short text whole', () => {
    expect(clampText('Echoes its input')).toEqual({ text: 'Echoes its input', clamped: false });
    expect(clampText('one\ntwo\nthree\n')).toEqual({ text: 'one\ntwo\nthree\n', clamped: false });
  });

  it('keeps the first lines, with their breaks', () => {
    expect(clampText('one\ntwo\nthree\nfour', { maxLines: 2 })).toEqual({ text: 'one\ntwo…', clamped: true });
  });

  it('cuts a long line at a word, without trailing punctuation before the ellipsis', () => {
    const { text, clamped } = clampText('Looks up words. '.repeat(40), { maxChars: 50 });
    expect(clamped).toBe(true);
    expect(text).toBe('Looks up words. Looks up words. Looks up words…');
  });

  it('cuts a text without spaces where it must', () => {
    expect(clampText('x'.repeat(100), { maxChars: 10 })).toEqual({
      text: `${'x'.repeat(10)}…`,
      clamped: true,
    });
  });
});
