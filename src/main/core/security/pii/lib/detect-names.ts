import { isAsciiAlnum, isHangulSyllable } from './chars';
import { AFTER_HONORIFIC, DOUBLE_SURNAMES, NAME_LABELS, NOT_NAMES, SURNAMES, TITLES } from './korean';
import type { Detector, ScanContext } from './scan-context';

// Korean names (the guide's `korean_name`): 2-4 syllables before 님 or 씨 ("홍길동님",
// "홍길동 씨", "홍길동 고객님", "홍길동선생님") or after a label ("이름: 홍길동"). The span covers
// the name only, not the honorific. A name must start with a known surname, and common words
// that take 님/씨 (고객님, 아저씨, 날씨) are not names.

const HONORIFIC = /[님씨]/g;
// Names plus an attached title, e.g. "홍길동선생" before 님.
const MAX_RUN = 8;

export const namesDetector: Detector = {
  name: 'names',
  types: ['PERSON'],
  run(ctx) {
    honorifics(ctx);
    if (!ctx.timedOut) labels(ctx);
  },
};

function isName(name: string): boolean {
  if (name.length < 2 || name.length > 4 || NOT_NAMES.has(name)) return false;
  if (name.length >= 3 && DOUBLE_SURNAMES.has(name.slice(0, 2))) return true;
  return SURNAMES.has(name[0]!);
}

function nameScore(name: string): number {
  if (name.length === 3) return 0.6;
  if (name.length === 2) return 0.5;
  return DOUBLE_SURNAMES.has(name.slice(0, 2)) ? 0.6 : 0.5;
}

// The Hangul word that ends at `end`, or -1 when there is none of 1..max syllables.
function wordStart(text: string, end: number, max: number): number {
  let start = end;
  while (start > 0 && isHangulSyllable(text.charCodeAt(start - 1))) {
    start--;
    if (end - start > max) return -1;
  }
  if (start === end || isAsciiAlnum(text.charCodeAt(start - 1))) return -1;
  return start;
}

function honorifics(ctx: ScanContext): void {
  const { text } = ctx;
  HONORIFIC.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = HONORIFIC.exec(text)) !== null) {
    if (ctx.expired()) return;
    const p = match.index;
    const next = text.charCodeAt(p + 1);
    // 씨앗, 님비: the honorific must end the word or take a particle.
    if (isHangulSyllable(next) && !AFTER_HONORIFIC.has(text[p + 1]!)) continue;
    let end = p;
    let bonus = 0;
    let runStart = wordStart(text, p, MAX_RUN);
    if (runStart >= 0) {
      const run = text.slice(runStart, p);
      const title = titleSuffix(run);
      if (title === run.length) {
        // "홍길동 고객님": the title stands alone, the name is the word before it.
        if (text.charCodeAt(runStart - 1) !== 32) continue;
        end = runStart - 1;
        runStart = wordStart(text, end, 4);
        bonus = 0.1;
      } else if (title > 0) {
        end = p - title; // "홍길동선생님"
        bonus = 0.1;
      }
    } else if (text.charCodeAt(p - 1) === 32) {
      // "홍길동 씨": 씨 and 님 written apart, as the spelling rules want for 씨.
      end = p - 1;
      runStart = wordStart(text, end, 4);
      bonus = 0.05;
    }
    if (runStart < 0) continue;
    const name = text.slice(runStart, end);
    if (isName(name)) ctx.add('PERSON', runStart, end, nameScore(name) + bonus);
  }
}

// Length of the longest title the word ends with ("선생" in "홍길동선생"), or 0.
function titleSuffix(run: string): number {
  for (let size = Math.min(4, run.length); size >= 2; size--) {
    if (TITLES.has(run.slice(run.length - size))) return size;
  }
  return 0;
}

// "이름: 홍길동", "고객：김철수": found from each colon, which is rarer than any label's letters.
function labels(ctx: ScanContext): void {
  const { text } = ctx;
  for (const colon of [':', '：']) {
    let p = text.indexOf(colon);
    while (p !== -1) {
      if (ctx.expired()) return;
      label(ctx, p);
      p = text.indexOf(colon, p + 1);
    }
  }
}

function label(ctx: ScanContext, colon: number): void {
  const { text } = ctx;
  let k = colon;
  if (text.charCodeAt(k - 1) === 32) k--;
  const labelEnd = k;
  while (
    k > 0 &&
    labelEnd - k <= 4 &&
    (isHangulSyllable(text.charCodeAt(k - 1)) || isAsciiAlnum(text.charCodeAt(k - 1)))
  )
    k--;
  // The label must be a word of its own ("고객:" but not "우리고객:").
  if (k === labelEnd || labelEnd - k > 4 || !NAME_LABELS.has(text.slice(k, labelEnd).toLowerCase())) return;
  let start = colon + 1;
  while (
    start < text.length &&
    start - colon <= 2 &&
    (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)
  )
    start++;
  let end = start;
  while (end < text.length && end - start <= 4 && isHangulSyllable(text.charCodeAt(end))) end++;
  if (end - start > 4 || end === start) return;
  // "홍길동님" after a label: the honorific rule finds it too; the span stops before 님/씨.
  const last = text[end - 1];
  const nameEnd = end - start >= 3 && (last === '님' || last === '씨') ? end - 1 : end;
  const name = text.slice(start, nameEnd);
  if (isName(name)) ctx.add('PERSON', start, nameEnd, 0.85);
}
