import { describe, expect, it } from 'vitest';
import { highlightSegments } from '../lib/highlight';
import { listPatterns } from '../lib/pattern-file';

describe('listPatterns', () => {
  it('reads the wrapped form and the guide’s flat form', () => {
    expect(listPatterns('{"patterns": {"a": {"pattern": "x+", "flags": "i"}, "b": "y"}}')).toEqual([
      { name: 'a', pattern: 'x+', flags: 'i' },
      { name: 'b', pattern: 'y' },
    ]);
    expect(listPatterns('{"email": "[a-z]+@[a-z]+", "phone": "01[0-9]"}')).toEqual([
      { name: 'email', pattern: '[a-z]+@[a-z]+' },
      { name: 'phone', pattern: '01[0-9]' },
    ]);
  });

  it('names the problem in a file of the wrong shape', () => {
    expect(() => listPatterns('{"patterns": {"a": {"score": 1}}}')).toThrow(
      expect.objectContaining({
        code: 'PATTERN_FILE_INVALID',
        message: expect.stringContaining('patterns.a'),
      }),
    );
    expect(() => listPatterns('[1]')).toThrow(expect.objectContaining({ code: 'PATTERN_FILE_INVALID' }));
  });
});

describe('highlightSegments', () => {
  it('cuts at UTF-16 offsets and skips findings it cannot place', () => {
    const text = '😀 a@b.co 홍길동님';
    const email = { type: 'EMAIL_ADDRESS', start: 3, end: 9, score: 0.9 };
    const segments = highlightSegments(text, [
      { type: 'PERSON', start: 10, end: 13, score: 0.8 },
      email,
      { type: 'X', start: 4, end: 6, score: 1 },
      { type: 'Y', start: 12, end: 99, score: 1 },
    ]);
    expect(segments.map((s) => [s.text, s.finding?.type])).toEqual([
      ['😀 ', undefined],
      ['a@b.co', 'EMAIL_ADDRESS'],
      [' ', undefined],
      ['홍길동', 'PERSON'],
      ['님', undefined],
    ]);
  });
});
