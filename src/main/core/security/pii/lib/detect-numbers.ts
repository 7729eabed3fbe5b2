import { isIPv4 } from 'node:net';
import { isAsciiAlnum, isDigit, isWordChar } from './chars';
import { knownCardIssuer } from './card-issuers';
import { brnValid, frnChecksumValid, luhnValid, rrnChecksumValid, rrnDateValid, ssnValid } from './checksums';
import { CONTEXT, CONTEXT_BOOST, hasContext, nearestContext, NUMBER_LABELS } from './context-words';
import { detectAlnumToken } from './detect-alnum';
import { driverLicenceScore, LICENCE_AFTER_REGION, LICENCE_GROUPED } from './driver-licence';
import { shapeOf } from './group-shape';
import {
  CONTEXT_COUNTRIES,
  internationalValid,
  koreanContiguousScore,
  koreanGroupedScore,
  nationalValid,
  northAmerican,
} from './phone';
import type { Detector, ScanContext } from './scan-context';

// Everything made of digit groups: phone numbers, RRN/FRN, BRN, cards, SSNs, driver's licences,
// IPv4 and bank accounts, in one pass. A run is digit groups joined by one separator each
// ("010-1234-5678 900101-1234567" is one run of five groups); the run is then cut at spaces into
// candidates, longest first, so that a candidate never starts or ends inside a longer number.
// Digits glued to letters ("M12345678", "0x…", "GB82…") go to the alphanumeric detector.
// Reading runs into groups and classifying candidates stay in this one file: they share the group
// buffers below (typed arrays reused across runs, so the hottest loop in the scanner allocates
// nothing). The rules of single kinds live beside it: card-issuers.ts, driver-licence.ts, phone.ts.

const RUN = /\d+(?:(?:[-. ]|\) ?| ?\()\d+)*/g;

const DASH = 1;
const DOT = 2;
const SPACE = 3;
const OPEN = 4;
const CLOSE = 5;

const MAX_GROUPS = 64;
// The longest candidate, in groups (a 19-digit card written 4-4-4-4-3).
const MAX_SPAN = 5;

// Reused between runs: scanning is synchronous and one run is processed at a time.
const groupStart = new Int32Array(MAX_GROUPS);
const groupEnd = new Int32Array(MAX_GROUPS);
const separator = new Uint8Array(MAX_GROUPS);

export const NUMBER_TYPES = [
  'PHONE_NUMBER',
  'KR_RRN',
  'KR_FRN',
  'KR_BRN',
  'KR_DRIVER_LICENSE',
  'KR_BANK_ACCOUNT',
  'CREDIT_CARD',
  'IP_ADDRESS',
  'US_SSN',
] as const;
export const ALNUM_TYPES = ['KR_PASSPORT', 'IBAN_CODE', 'CRYPTO'] as const;

export const numbersDetector: Detector = {
  name: 'numbers',
  types: [...NUMBER_TYPES, ...ALNUM_TYPES],
  run(ctx) {
    const numbers = NUMBER_TYPES.some((t) => ctx.wants(t));
    const alnum = ALNUM_TYPES.some((t) => ctx.wants(t));
    const { text } = ctx;
    RUN.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = RUN.exec(text)) !== null) {
      if (ctx.expired()) return;
      const start = match.index;
      const end = start + match[0].length;
      const before = start > 0 ? text.charCodeAt(start - 1) : 0;
      const after = end < text.length ? text.charCodeAt(end) : 0;
      const leftToken = isWordChar(before);
      const rightToken = isWordChar(after);
      // "ABC-010-1234-5678", "010-1234-5678-X": a hyphen joins the number to a word.
      const leftGlued = leftToken || (before === 45 && isAsciiAlnum(text.charCodeAt(start - 2)));
      const rightGlued = rightToken || (after === 45 && isAsciiAlnum(text.charCodeAt(end + 1)));
      if (leftToken) {
        // The first group ends a token such as "GB82" or "M12345678".
        const firstEnd = endOfFirstGroup(text, start, end);
        if (alnum) {
          const tokenEnd = detectAlnumToken(ctx, start, firstEnd);
          if (tokenEnd >= end) {
            RUN.lastIndex = tokenEnd;
            continue;
          }
        } else if (firstEnd === end) {
          continue;
        }
      }
      if (numbers && end - start >= 7) processRun(ctx, start, end, leftGlued, rightGlued);
      if (rightToken && alnum) {
        // The last group starts a token ("1A1zP1…", "0x5aAe…", "bc1q…").
        RUN.lastIndex = Math.max(end, detectAlnumToken(ctx, startOfLastGroup(text, start, end), end));
      }
    }
  },
};

function endOfFirstGroup(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  return i;
}

function startOfLastGroup(text: string, start: number, end: number): number {
  let i = end;
  while (i > start && isDigit(text.charCodeAt(i - 1))) i--;
  return i;
}

// Splits the run into groups and reports what it finds. A run longer than MAX_GROUPS groups
// ("1 2 3 4 …") is read in windows that overlap by MAX_SPAN groups, so that no candidate is cut
// in two and the run is still read once.
function processRun(
  ctx: ScanContext,
  start: number,
  end: number,
  leftGlued: boolean,
  rightGlued: boolean,
): void {
  const { text } = ctx;
  let from = start;
  // The separator before the window's first group (0: the run's own start).
  let before = 0;
  for (;;) {
    let count = 0;
    let i = from;
    while (i < end && count < MAX_GROUPS) {
      groupStart[count] = i;
      while (i < end && isDigit(text.charCodeAt(i))) i++;
      groupEnd[count] = i;
      count++;
      if (i >= end) break;
      const c = text.charCodeAt(i);
      if (c === 41 /* ) */) {
        separator[count - 1] = CLOSE;
        i += text.charCodeAt(i + 1) === 32 ? 2 : 1;
      } else if (c === 40 /* ( */ || (c === 32 && text.charCodeAt(i + 1) === 40)) {
        separator[count - 1] = OPEN;
        i += c === 32 ? 2 : 1;
      } else {
        separator[count - 1] = c === 45 ? DASH : c === 46 ? DOT : SPACE;
        i++;
      }
    }
    const whole = i >= end;
    const last = count - 1;
    // In a window that is not the run's last, candidates start early enough to end inside it.
    const limit = whole ? count : count - MAX_SPAN;
    let g = 0;
    if (before === 0) {
      // "+82 10-1234-5678", "+1 (415) 555-2671": libphonenumber decides, from the plus sign on.
      const plus =
        !leftGlued &&
        start > 0 &&
        text.charCodeAt(start - 1) === 43 &&
        !isWordChar(start > 1 ? text.charCodeAt(start - 2) : 0);
      if (plus && ctx.wants('PHONE_NUMBER')) g = international(ctx, start - 1, last, whole, rightGlued) + 1;
    }
    const openParen = before === 0 && !leftGlued && start > 0 && text.charCodeAt(start - 1) === 40;
    while (g < limit) {
      if (g === 0 ? (before === 0 ? leftGlued : before !== SPACE) : separator[g - 1] !== SPACE) {
        g++;
        continue;
      }
      let found = -1;
      for (let j = Math.min(last, g + MAX_SPAN - 1); j >= g; j--) {
        if (j === last && whole ? rightGlued : separator[j] !== SPACE) continue;
        if (classify(ctx, g, j, g === 0 && openParen)) {
          found = j;
          break;
        }
      }
      g = found >= 0 ? found + 1 : g + 1;
    }
    if (whole || ctx.expired()) return;
    before = separator[g - 1]!;
    from = g < count ? groupStart[g]! : i;
  }
}

function international(
  ctx: ScanContext,
  plusAt: number,
  last: number,
  whole: boolean,
  rightGlued: boolean,
): number {
  let digits = 0;
  let top = -1;
  for (let j = 0; j <= last && digits <= 15; j++) {
    digits += groupEnd[j]! - groupStart[j]!;
    if (digits <= 15) top = j;
  }
  for (let j = top; j >= 0; j--) {
    if (j === last && whole ? rightGlued : separator[j] !== SPACE) continue;
    let count = 0;
    for (let k = 0; k <= j; k++) count += groupEnd[k]! - groupStart[k]!;
    if (count < 8) break;
    const end = groupEnd[j]!;
    // Digits only: libphonenumber is faster without the punctuation, and a bracket or dash in
    // the middle of a plus number does not change which number it is.
    let e164 = '+';
    for (let k = 0; k <= j; k++) e164 += groupText(ctx.text, k);
    if (internationalValid(e164)) {
      const boost = hasContext(ctx.text, plusAt, end, CONTEXT.phone) ? CONTEXT_BOOST : 0;
      ctx.add('PHONE_NUMBER', plusAt, end, 0.8 + boost);
      return j;
    }
  }
  return -1;
}

function groupText(text: string, k: number): string {
  return text.slice(groupStart[k]!, groupEnd[k]!);
}

function len(k: number): number {
  return groupEnd[k]! - groupStart[k]!;
}

const S_6_7 = shapeOf(6, 7);
const S_3_2_5 = shapeOf(3, 2, 5);
const S_3_2_4 = shapeOf(3, 2, 4);
const S_3_3_4 = shapeOf(3, 3, 4);
const S_1_3_3_4 = shapeOf(1, 3, 3, 4);
const S_4_4 = shapeOf(4, 4);
const CARD_SHAPES = new Set([
  shapeOf(4, 4, 4, 4),
  shapeOf(4, 6, 5),
  shapeOf(4, 6, 4),
  shapeOf(4, 4, 4, 4, 3),
  shapeOf(4, 4, 4, 1),
  shapeOf(4, 4, 4, 3),
]);

// The best reading of the current candidate so far (module state: one candidate at a time).
let bestType = '';
let bestScore = 0;

function offer(ctx: ScanContext, type: string, score: number): void {
  if (score > bestScore && ctx.wants(type)) {
    bestType = type;
    bestScore = score;
  }
}

// Picks the best reading of groups g..j and reports it; true when something was reported.
function classify(ctx: ScanContext, g: number, j: number, openParen: boolean): boolean {
  const { text } = ctx;
  const n = j - g + 1;
  let total = 0;
  let code = 0;
  for (let k = g; k <= j; k++) {
    const size = len(k);
    total += size;
    code = code * 32 + size;
  }
  const kind = n > 1 ? separator[g]! : 0;
  let uniform = true;
  for (let k = g + 1; k < j; k++) if (separator[k] !== kind) uniform = false;
  const start = groupStart[g]!;
  const end = groupEnd[j]!;

  if (n === 4 && uniform && kind === DOT) {
    if (total > 12 || !ctx.wants('IP_ADDRESS') || !isIPv4(text.slice(start, end))) return false;
    return ctx.add('IP_ADDRESS', start, end, 0.6 + boost(ctx, start, end, CONTEXT.ip));
  }
  if (total < 7 || total > 19) return false;
  // "(02) 123-4567", "(415) 555-2671": a bracketed area code, then a dash or a space.
  const parenShape =
    openParen &&
    n === 3 &&
    separator[g] === CLOSE &&
    (separator[g + 1] === DASH || separator[g + 1] === SPACE);
  const plain = n === 1 || (uniform && (kind === DASH || kind === SPACE || kind === DOT));
  if (!plain && !parenShape) return false;

  let digits = '';
  for (let k = g; k <= j; k++) digits += groupText(text, k);
  bestType = '';
  bestScore = 0;

  if (plain && kind !== DOT) {
    // Resident (1-4, 9, 0) and foreigner (5-8) registration numbers: YYMMDD-GNNNNNN.
    if (((n === 1 && total === 13) || code === S_6_7) && rrnDateValid(digits)) {
      const gender = digits.charCodeAt(6) - 48;
      const foreign = gender >= 5 && gender <= 8;
      // Numbers issued since October 2020 have no check digit, so a failed check lowers the
      // score instead of ruling the number out.
      const checked = foreign ? frnChecksumValid(digits) : rrnChecksumValid(digits);
      const base =
        n === 1 ? (checked ? 0.85 : 0.35) : kind === DASH ? (checked ? 0.95 : 0.6) : checked ? 0.85 : 0.45;
      offer(ctx, foreign ? 'KR_FRN' : 'KR_RRN', base + boost(ctx, start, end, CONTEXT.rrn));
    }
    if (total >= 13 && (n === 1 || CARD_SHAPES.has(code)) && luhnValid(digits)) {
      const base = knownCardIssuer(digits) ? (n === 1 ? 0.75 : 0.9) : 0.3;
      offer(ctx, 'CREDIT_CARD', base + boost(ctx, start, end, CONTEXT.card));
    }
    if (total === 10 && digits[0] !== '0' && (n === 1 || code === S_3_2_5) && brnValid(digits)) {
      const base = n === 1 ? 0.35 : kind === DASH ? 0.7 : 0.5;
      offer(ctx, 'KR_BRN', base + boost(ctx, start, end, CONTEXT.brn));
    }
    if (total === 9 && (n === 1 || code === S_3_2_4) && ssnValid(digits)) {
      const base = n === 1 ? 0.3 : kind === DASH ? 0.6 : 0.4;
      offer(ctx, 'US_SSN', base + boost(ctx, start, end, CONTEXT.ssn));
    }
    if (
      (n === 1 && total === 12) ||
      (kind === DASH && (code === LICENCE_GROUPED || code === LICENCE_AFTER_REGION))
    )
      offer(ctx, 'KR_DRIVER_LICENSE', driverLicenceScore(ctx, digits, n, code, start, end));
  }

  if (ctx.wants('PHONE_NUMBER')) {
    let phone = 0;
    if (n === 1) {
      phone = koreanContiguousScore(digits);
    } else if (
      code === S_4_4 ||
      (n === 3 && len(j) === 4 && len(g + 1) >= 3 && len(g + 1) <= 4 && len(g) <= 4)
    ) {
      const groups: string[] = [];
      for (let k = g; k <= j; k++) groups.push(groupText(text, k));
      phone = koreanGroupedScore(groups);
    }
    if (phone === 0 && (code === S_3_3_4 || code === S_1_3_3_4) && northAmerican(digits)) {
      if (nationalValid(digits, 'US')) phone = 0.55;
    }
    const phoneStart = parenShape ? start - 1 : start;
    // Another country's national format (trunk prefix 0: UK, Japan, China, Germany…) counts
    // only when the text says it is a phone number.
    const foreign = phone === 0 && n > 1 && total >= 8 && digits[0] === '0' && bestScore === 0;
    const context = (phone > 0 || foreign) && hasContext(text, phoneStart, end, CONTEXT.phone);
    if (foreign && context && CONTEXT_COUNTRIES.some((country) => nationalValid(digits, country)))
      phone = 0.35;
    if (phone > 0) {
      const score = phone + (context ? CONTEXT_BOOST : 0);
      if (score > bestScore && score >= ctx.threshold) return ctx.add('PHONE_NUMBER', phoneStart, end, score);
    }
  }

  // Bank accounts have no shape of their own: only the words around them say so, and only when
  // no word for another kind of number stands closer (a business number with a wrong check
  // digit next to "입금계좌" is still not an account).
  if (
    bestScore < ctx.threshold &&
    total >= 10 &&
    total <= 14 &&
    (n === 1 || (kind === DASH && uniform)) &&
    ctx.wants('KR_BANK_ACCOUNT') &&
    hasContext(text, start, end, CONTEXT.account) &&
    nearestContext(text, start, end, NUMBER_LABELS) === 'account'
  ) {
    offer(ctx, 'KR_BANK_ACCOUNT', n === 1 ? 0.6 : 0.7);
  }
  return bestScore > 0 && ctx.add(bestType, start, end, bestScore);
}

function boost(ctx: ScanContext, start: number, end: number, words: RegExp): number {
  return hasContext(ctx.text, start, end, words) ? CONTEXT_BOOST : 0;
}
