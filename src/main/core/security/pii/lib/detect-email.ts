import { isAsciiAlnum, isAsciiLetter } from './chars';
import type { Detector } from './scan-context';

// E-mail addresses, found from each "@" outwards: cheaper than a regex whose first character
// class matches every letter of the text.

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

function isLocalChar(c: number): boolean {
  // A-Z a-z 0-9 . _ % + - (the usual subset of RFC 5322 atext)
  return isAsciiAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}

function isDomainChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 46 || c === 45;
}

export const emailDetector: Detector = {
  name: 'email',
  types: ['EMAIL_ADDRESS'],
  run(ctx) {
    const { text } = ctx;
    let at = text.indexOf('@');
    while (at !== -1) {
      if (ctx.expired()) return;
      let start = at;
      while (start > 0 && at - start <= MAX_LOCAL && isLocalChar(text.charCodeAt(start - 1))) start--;
      const tooLong = at - start > MAX_LOCAL;
      // Dots cannot start the local part ("...hong@" is "hong@").
      while (start < at && text.charCodeAt(start) === 46) start++;
      let end = at + 1;
      while (end < text.length && end - at <= MAX_DOMAIN + 1 && isDomainChar(text.charCodeAt(end))) end++;
      const next = end;
      // A sentence may end right after the address.
      while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
      if (
        !tooLong &&
        start < at &&
        text.charCodeAt(start - 1) !== 64 &&
        text.charCodeAt(next) !== 64 &&
        domainValid(text, at + 1, end)
      ) {
        ctx.add('EMAIL_ADDRESS', start, end, 0.95);
      }
      at = text.indexOf('@', next);
    }
  },
};

// Labels of letters, digits and inner hyphens, at least two of them, the last alphabetic.
function domainValid(text: string, start: number, end: number): boolean {
  if (end - start < 4 || end - start > MAX_DOMAIN) return false;
  let labelStart = start;
  let labels = 0;
  for (let i = start; i <= end; i++) {
    if (i < end && text.charCodeAt(i) !== 46) continue;
    const size = i - labelStart;
    if (size === 0 || size > 63) return false;
    if (text.charCodeAt(labelStart) === 45 || text.charCodeAt(i - 1) === 45) return false;
    labels++;
    if (i === end) {
      if (labels < 2 || size < 2) return false;
      for (let k = labelStart; k < end; k++) if (!isAsciiLetter(text.charCodeAt(k))) return false;
    }
    labelStart = i + 1;
  }
  return true;
}
