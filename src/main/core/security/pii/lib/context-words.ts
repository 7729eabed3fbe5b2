import { isAsciiLetter, isHangulSyllable } from './chars';

// Words that make a nearby match more likely to be what it looks like. They are looked for in a
// window before the match (about five words) and a shorter one after it ("(휴대폰)").

const BEFORE = 40;
const AFTER = 20;

export const CONTEXT = {
  phone: /전화|연락처|휴대|핸드폰|폰|팩스|phone|\btel\b|mobile|\bcell|\bfax|contact|\bcall/i,
  // "등록번호" alone is a resident's number; inside "사업자등록번호" or "법인등록번호" it is a
  // business's, and it does not vouch for the other kind.
  rrn: /주민|(?<!사업자\s?|법인\s?)등록번호|외국인|rrn|frn|resident|(?<!business\s?)registration|alien/i,
  brn: /사업자|법인|brn|business|company|tax/i,
  passport: /여권|passport/i,
  license: /면허|운전|driver|licen[cs]e/i,
  account:
    /계좌|입금|송금|이체|예금|은행|뱅크|금고|농협|수협|우체국|신한|account|acct|bank|deposit|\b(?:kb|nh|ibk|sc)\b/i,
  card: /카드|신용|체크|결제|card|credit|debit|visa|master|amex|payment/i,
  ssn: /ssn|social\s*security|사회보장/i,
  ip: /\bip\b|ip\s*주소|아이피|addr|host|server|서버|접속/i,
  crypto: /wallet|지갑|bitcoin|btc|ethereum|\beth\b|crypto|코인|비트코인|이더리움|address|주소/i,
  secret: /key|secret|token|password|passwd|비밀번호|인증|credential/i,
} as const;

export type ContextKind = keyof typeof CONTEXT;

export function hasContext(text: string, start: number, end: number, words: RegExp): boolean {
  const from = start > BEFORE ? start - BEFORE : 0;
  if (words.test(text.slice(from, start))) return true;
  return words.test(text.slice(end, end + AFTER));
}

// Custom patterns bring their own words; matched case-insensitively as plain substrings.
export function hasContextWords(text: string, start: number, end: number, words: readonly string[]): boolean {
  if (words.length === 0) return false;
  const from = start > BEFORE ? start - BEFORE : 0;
  const window = `${text.slice(from, start)}\u0000${text.slice(end, end + AFTER)}`.toLowerCase();
  return words.some((word) => window.includes(word.toLowerCase()));
}

// How much a context word adds; scores are capped at 1.
export const CONTEXT_BOOST = 0.3;

// The kinds whose words label a number as one thing or another.
export const NUMBER_LABELS = [
  'account',
  'phone',
  'rrn',
  'brn',
  'card',
  'ssn',
  'license',
  'passport',
] as const satisfies readonly ContextKind[];

const everywhere = new Map<ContextKind, RegExp>();
function globalOf(kind: ContextKind): RegExp {
  let re = everywhere.get(kind);
  if (!re) everywhere.set(kind, (re = new RegExp(CONTEXT[kind].source, 'gi')));
  return re;
}

function isLetter(c: number): boolean {
  return isHangulSyllable(c) || isAsciiLetter(c);
}

// Which of `kinds` has its word nearest to [start, end). A word is measured whole ("사업자" ends
// where "사업자등록번호" does), and a word before the number wins a tie with one after it. Used
// where a number has no shape of its own (bank accounts): "사업자등록번호: 123-45-67890 / 입금계좌"
// names a business number, even with a bank word in the same sentence.
export function nearestContext(
  text: string,
  start: number,
  end: number,
  kinds: readonly ContextKind[],
): ContextKind | undefined {
  const before = text.slice(start > BEFORE ? start - BEFORE : 0, start);
  const after = text.slice(end, end + AFTER);
  let nearest: ContextKind | undefined;
  let distance = Infinity;
  for (const kind of kinds) {
    const re = globalOf(kind);
    re.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = re.exec(before)) !== null) {
      let wordEnd = match.index + match[0].length;
      while (wordEnd < before.length && isLetter(before.charCodeAt(wordEnd))) wordEnd++;
      if (before.length - wordEnd < distance) {
        distance = before.length - wordEnd;
        nearest = kind;
      }
    }
    re.lastIndex = 0;
    match = re.exec(after);
    if (match) {
      let wordStart = match.index;
      while (wordStart > 0 && isLetter(after.charCodeAt(wordStart - 1))) wordStart--;
      if (wordStart < distance) {
        distance = wordStart;
        nearest = kind;
      }
    }
  }
  return nearest;
}
