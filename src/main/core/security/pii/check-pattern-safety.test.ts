import { describe, expect, it } from 'vitest';
import { checkPatternSafety } from './check-pattern-safety';
import { translatePattern } from './lib/python-regex';

describe('checkPatternSafety', () => {
  it.each([
    ['(a+)+$', 'exponential'],
    ['(\\w+\\s?)*$', 'exponential'],
    ['(a|a)*b', 'exponential'],
    ['^(a|aa)+$', 'exponential'],
    ['(\\d|\\w)+$', 'exponential'],
    ['(.*,)*x', 'exponential'],
    ['\\s*#?\\s*$', 'O(n^3)'],
    ['^.*a.*a.*a$', 'O(n^3)'],
  ])('refuses %s (%s)', (source, kind) => {
    const result = checkPatternSafety(source);
    expect(result.safe).toBe(false);
    if (!result.safe)
      expect(result.reason).toMatch(
        new RegExp(
          `^it can backtrack catastrophically: ${kind.replace(/[()^]/g, '\\$&')} time on input such as `,
        ),
      );
  });

  // The guide's own pii_patterns.json.
  it.each([
    ['\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Z|a-z]{2,}\\b'],
    ['\\b01[0-9]-?[0-9]{4}-?[0-9]{4}\\b'],
    ['\\b[가-힣]{2,4}\\b(?=님|씨|\\s|$)'],
    ['\\b\\d{6}-?[1-4]\\d{6}\\b'],
    ['\\bEMP-\\d{6}\\b'],
    ['(?P<year>\\d{4})-(?P<month>\\d{2})'],
  ])('accepts %s', (source) => expect(checkPatternSafety(source)).toEqual({ safe: true }));

  it('refuses what does not compile, naming why', () => {
    expect(checkPatternSafety('(unclosed')).toEqual({
      safe: false,
      reason: 'it does not compile: Invalid regular expression: /(unclosed/: Unterminated group',
    });
    expect(checkPatternSafety('abc', 'g,')).toEqual({
      safe: false,
      reason: 'it does not compile: flag "," is not supported (use i, m, s or u)',
    });
    expect(checkPatternSafety('(?x) a b c')).toEqual({
      safe: false,
      reason: 'it does not compile: the inline flag (?x) has no JavaScript equivalent',
    });
  });

  it('refuses a pattern that matches the empty string', () =>
    expect(checkPatternSafety('\\d*')).toEqual({
      safe: false,
      reason: 'it matches the empty string, so it would match everywhere',
    }));
});

describe('Python pattern syntax', () => {
  const run = (pattern: string, text: string): string[] => {
    const t = translatePattern(pattern);
    return [...text.matchAll(new RegExp(t.source, `${t.flags}g`))].map((m) => m[0]);
  };

  it('makes \\b Unicode-aware, as in Python', () => {
    expect(run('\\b[가-힣]{2,4}\\b', '고객 정보: 홍길동님 김')).toEqual(['고객', '정보', '홍길동님']);
    expect(run('\\bEMP-\\d{6}\\b', 'EMP-123456 xEMP-123456 EMP-1234567 사번EMP-123456')).toEqual([
      'EMP-123456',
    ]);
  });

  it('keeps \\b inside a class as a backspace', () => expect(run('[\\b]', 'a\bb')).toEqual(['\b']));

  it('turns named groups, \\A, \\Z, {,n} and leading inline flags into JavaScript', () => {
    expect(translatePattern('(?P<y>\\d{4})-(?P=y)').source).toBe('(?<y>\\d{4})-\\k<y>');
    expect(run('\\Aab', 'abab')).toEqual(['ab']);
    expect(run('ab\\Z', 'abab')).toEqual(['ab']);
    expect(run('a{,2}b', 'aaab')).toEqual(['aab']);
    expect(translatePattern('(?i)emp').flags).toBe('i');
    expect(run('(?i)emp', 'EMP emp')).toEqual(['EMP', 'emp']);
  });

  it("reads Python's []] as a class holding ]", () => expect(run('[]a]+', 'x]a]y')).toEqual([']a]']));
});
