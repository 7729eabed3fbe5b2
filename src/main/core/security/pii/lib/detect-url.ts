import { isAsciiAlnum, isWordChar } from './chars';
import type { Detector } from './scan-context';

// URLs with a scheme (http, https, ftp, ws) or starting with "www.". A URL stops at
// whitespace, quotes, angle brackets and any non-ASCII character, because Korean text glues
// particles to it ("https://example.com에서"); trailing punctuation and unbalanced closing
// brackets belong to the sentence.

const START = /(?:https?|ftps?|wss?):\/\/|www\./gi;

function isUrlChar(c: number): boolean {
  return (
    c > 32 &&
    c < 127 &&
    c !== 34 &&
    c !== 39 &&
    c !== 60 &&
    c !== 62 &&
    c !== 96 &&
    c !== 92 &&
    c !== 94 &&
    c !== 123 &&
    c !== 124 &&
    c !== 125
  );
}

const TRAILING = new Set([46, 44, 59, 58, 33, 63, 42]); // . , ; : ! ? *

export const urlDetector: Detector = {
  name: 'url',
  types: ['URL'],
  run(ctx) {
    const { text } = ctx;
    START.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = START.exec(text)) !== null) {
      if (ctx.expired()) return;
      const start = match.index;
      if (start > 0 && isWordChar(text.charCodeAt(start - 1))) continue;
      const hostStart = start + match[0].length;
      let end = hostStart;
      while (end < text.length && isUrlChar(text.charCodeAt(end))) end++;
      START.lastIndex = end;
      end = trimEnd(text, start, end);
      if (!hostValid(text, hostStart, end, match[0].length === 4)) continue;
      ctx.add('URL', start, end, match[0].length === 4 ? 0.5 : 0.6);
    }
  },
};

function trimEnd(text: string, start: number, end: number): number {
  // Bracket balance is counted once; trimming a closing bracket brings it back towards zero.
  let parens = 0;
  let squares = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) parens++;
    else if (c === 41) parens--;
    else if (c === 91) squares++;
    else if (c === 93) squares--;
  }
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (TRAILING.has(c)) end--;
    else if (c === 41 && parens < 0) {
      parens++;
      end--;
    } else if (c === 93 && squares < 0) {
      squares++;
      end--;
    } else break;
  }
  return end;
}

// A host name with a dot, "localhost" or a bracketed IPv6 address; "www." needs a dot after it.
function hostValid(text: string, start: number, end: number, www: boolean): boolean {
  let i = start;
  if (text.charCodeAt(i) === 91) return text.indexOf(']', i) > i + 2 && text.indexOf(']', i) < end;
  let dots = 0;
  let alnum = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) dots++;
    else if (isAsciiAlnum(c) || c === 45) alnum++;
    else if (c === 64) {
      dots = 0; // user@host: only the host counts
      alnum = 0;
    } else break;
  }
  if (alnum === 0) return false;
  if (www) return dots >= 1 && text.charCodeAt(i - 1) !== 46;
  return dots >= 1 || text.slice(start, i).toLowerCase().endsWith('localhost');
}
