// Words that make a nearby match more likely to be what it looks like. They are looked for in a
// window before the match (about five words) and a shorter one after it ("(휴대폰)").

const BEFORE = 40;
const AFTER = 20;

export const CONTEXT = {
  phone: /전화|연락처|휴대|핸드폰|폰|팩스|phone|\btel\b|mobile|\bcell|\bfax|contact|\bcall/i,
  rrn: /주민|등록번호|외국인|rrn|frn|resident|registration|alien/i,
  brn: /사업자|법인|등록번호|brn|business|company|tax/i,
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
