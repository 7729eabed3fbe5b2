// Pattern files are written for Python's `re`, as the guide's pii_patterns.json is. This turns
// the constructs JavaScript spells differently into JavaScript; the rest of the syntax is shared.
//
// - \b and \B are Unicode-aware in Python (a Hangul syllable is a word character); JavaScript's
//   are ASCII-only, so the guide's `\b[가-힣]{2,4}\b` would never match. They become lookarounds
//   over an explicit word class (valid with and without the u flag).
// - \A and \Z anchor the whole input; (?P<name>…) and (?P=name) are named groups;
//   a leading (?i), (?m), (?s) becomes a flag; {,n} means {0,n}.

import { DockError } from '../../../../../shared/errors';

const WORD =
  '[A-Za-z0-9_\\u00AA\\u00B5\\u00BA\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u03FF\\u0400-\\u052F' +
  '\\u0590-\\u06FF\\u0E00-\\u0E7F\\u1100-\\u11FF\\u3040-\\u30FF\\u3130-\\u318F\\u3400-\\u4DBF\\u4E00-\\u9FFF' +
  '\\uAC00-\\uD7A3\\uF900-\\uFAFF\\uFF10-\\uFF19\\uFF21-\\uFF3A\\uFF41-\\uFF5A]';
const BOUNDARY = `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
const NOT_BOUNDARY = `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))`;

export interface TranslatedPattern {
  // What the scanner runs.
  source: string;
  // The same pattern with \b and \B left as they are, for the ReDoS analysis: they are
  // zero-width either way, and the analyser does not follow lookbehinds.
  analysisSource: string;
  // Flags without g and y, which the scanner sets itself.
  flags: string;
}

// Never leaves the folder: checkPatternSafety turns it into the reason a pattern is refused.
export class PatternSyntaxError extends DockError {
  constructor(message: string) {
    super('INVALID_INPUT', message);
  }
}

export function translatePattern(pattern: string, flags = ''): TranslatedPattern {
  const bad = flags.replace(/[gimsuy]/g, '');
  if (bad) throw new PatternSyntaxError(`flag "${bad[0]}" is not supported (use i, m, s or u)`);
  let flagSet = flags.replace(/[gy]/g, '');
  let i = 0;
  const lead = /^\(\?([aiLmsux]+)\)/.exec(pattern);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'x' || f === 'L')
        throw new PatternSyntaxError(`the inline flag (?${f}) has no JavaScript equivalent`);
      if ('ims'.includes(f) && !flagSet.includes(f)) flagSet += f;
    }
    i = lead[0].length;
  }
  let source = '';
  let analysis = '';
  const emit = (run: string, check = run): void => {
    source += run;
    analysis += check;
  };
  let inClass = false;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw new PatternSyntaxError('it ends with a lone backslash');
      if (!inClass && next === 'b') emit(BOUNDARY, '\\b');
      else if (!inClass && next === 'B') emit(NOT_BOUNDARY, '\\B');
      else if (!inClass && next === 'A') emit('(?<![\\s\\S])', '^');
      else if (!inClass && next === 'Z') emit('(?![\\s\\S])', '$');
      else emit(c + next);
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      emit(c);
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      emit('[');
      i++;
      if (pattern[i] === '^') {
        emit('^');
        i++;
      }
      // Python reads a "]" right after "[" as a literal.
      if (pattern[i] === ']') {
        emit('\\]');
        i++;
      }
      continue;
    }
    if (pattern.startsWith('(?P<', i)) {
      emit('(?<');
      i += 4;
      continue;
    }
    if (pattern.startsWith('(?P=', i)) {
      const close = pattern.indexOf(')', i);
      if (close === -1) throw new PatternSyntaxError('(?P= is not closed');
      emit(`\\k<${pattern.slice(i + 4, close)}>`);
      i = close + 1;
      continue;
    }
    if (c === '{' && pattern[i + 1] === ',' && /^\{,\d+\}/.test(pattern.slice(i, i + 12))) {
      emit('{0,');
      i += 2;
      continue;
    }
    emit(c);
    i++;
  }
  return { source, analysisSource: analysis, flags: flagSet };
}
