// A deterministic mixed Korean/English corpus with planted PII, for the PII benchmark. Sentences
// of everyday words in both languages; some carry one PII value (the planted set, with its exact
// span), often after a context phrase as real text has them ("연락처: …", "email me at …"); some
// carry a decoy: numbers and strings that look like PII and are not (dates, versions, amounts,
// order and tracking numbers, hashes, build numbers). Values are well-formed the way real ones
// are: cards pass Luhn, RRNs and business numbers carry their check digit, IBANs pass mod 97.

export interface Span {
  type: string;
  start: number;
  end: number;
}

export interface Corpus {
  text: string;
  bytes: number;
  planted: Span[];
  decoys: Span[];
}

export function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KO_WORDS = (
  '안녕하세요 고객 정보 서비스 문의 주문 배송 확인 부탁 드립니다 오늘 내일 회의 자료 보고서 작성 완료 요청 처리 결과 ' +
  '시스템 서버 데이터 분석 프로젝트 일정 변경 사항 검토 담당자 연락 바랍니다 감사합니다 그리고 하지만 때문에 있습니다 ' +
  '없습니다 합니다 했습니다 입니다 대한 관련 경우 이번 다음 주 시간 결제 금액 환불 계정 로그인 사용자 관리자 설정 파일 ' +
  '업로드 다운로드 배포 오류 수정 테스트 기능 개선 화면 버튼 페이지 검색 목록 상세 저장 삭제 등록 승인 반려 공지 안내'
).split(' ');
const EN_WORDS = (
  'the quick brown fox jumps over lazy dog please send report meeting tomorrow server data analysis project ' +
  'schedule change review contact thanks and but because there is are was were have has will would could should ' +
  'customer order delivery confirm request result system user admin settings file upload download payment refund ' +
  'account login version build deploy release ticket issue fix test feature page search list detail save delete ' +
  'approve reject notice team weekly update status pending done invoice shipment warehouse support'
).split(' ');

const KO_SURNAMES = '김이박최정강조윤장임한오서신권황안송류홍'.split('');
const KO_GIVEN = '민준서연도윤하은지호수아예준시우지민유진현우서준하준주원지우은서채원'.split('');
const EN_FIRST = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'Michael',
  'Jennifer',
  'David',
  'Linda',
  'Sarah',
  'Daniel',
];
const EN_LAST = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Miller',
  'Davis',
  'Wilson',
  'Taylor',
  'Clark',
];
const ROMAN = ['minjun', 'seoyeon', 'jiho', 'hayoon', 'dohyun', 'jiwoo', 'sujin', 'kim.j', 'park.s', 'lee.h'];
const DOMAINS = ['example.com', 'naver.com', 'gmail.com', 'company.co.kr', 'daum.net', 'corp.example.org'];

type Gen = (r: () => number) => { value: string; start?: number; end?: number };

const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const digits = (r: () => number, n: number) => Array.from({ length: n }, () => int(r, 0, 9)).join('');
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

function luhnCheck(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

function rrn(r: () => number): string {
  const born2000 = r() < 0.2;
  const yy = born2000 ? int(r, 0, 5) : int(r, 50, 99);
  const mm = int(r, 1, 12);
  const dd = int(r, 1, 28);
  const g = born2000 ? int(r, 3, 4) : int(r, 1, 2);
  const body = `${pad(yy, 2)}${pad(mm, 2)}${pad(dd, 2)}${g}${digits(r, 5)}`;
  const w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
  const sum = w.reduce((s, wi, i) => s + wi * (body.charCodeAt(i) - 48), 0);
  const check = (11 - (sum % 11)) % 10;
  return `${body.slice(0, 6)}-${body.slice(6)}${check}`;
}

function brn(r: () => number): string {
  const body = `${int(r, 1, 9)}${digits(r, 8)}`;
  const w = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  let sum = w.reduce((s, wi, i) => s + wi * (body.charCodeAt(i) - 48), 0);
  sum += Math.floor(((body.charCodeAt(8) - 48) * 5) / 10);
  const check = (10 - (sum % 10)) % 10;
  const all = `${body}${check}`;
  return `${all.slice(0, 3)}-${all.slice(3, 5)}-${all.slice(5)}`;
}

function card(r: () => number): string {
  const body = (r() < 0.6 ? '4' : `5${int(r, 1, 5)}`) + '';
  const rest = body + digits(r, 15 - body.length);
  const all = rest + luhnCheck(rest);
  const sep = pick(r, [' ', '-', '']);
  return [all.slice(0, 4), all.slice(4, 8), all.slice(8, 12), all.slice(12)].join(sep);
}

function iban(r: () => number): string {
  const bban = digits(r, 18);
  // DE: D=13, E=14; check digits make the rearranged number ≡ 1 (mod 97).
  const numeric = `${bban}131400`;
  let mod = 0;
  for (const ch of numeric) mod = (mod * 10 + (ch.charCodeAt(0) - 48)) % 97;
  return `DE${pad(98 - mod, 2)}${bban}`;
}

function ssn(r: () => number): string {
  let area = int(r, 1, 899);
  if (area === 666) area = 667;
  return `${pad(area, 3)}-${pad(int(r, 1, 99), 2)}-${pad(int(r, 1, 9999), 4)}`;
}

const hex = (r: () => number, n: number, upper = false) =>
  Array.from({ length: n }, () => (upper ? '0123456789ABCDEF' : '0123456789abcdef')[int(r, 0, 15)]).join('');

// Each kind: how often, how to make a value, and the phrases that often come before it.
const KINDS: { type: string; weight: number; gen: Gen; context: string[] }[] = [
  {
    type: 'EMAIL_ADDRESS',
    weight: 14,
    gen: (r) => ({ value: `${pick(r, ROMAN)}${int(r, 1, 999)}@${pick(r, DOMAINS)}` }),
    context: ['이메일: ', '메일 주소는 ', 'email: ', 'contact ', 'reply to '],
  },
  {
    type: 'PHONE_NUMBER',
    weight: 16,
    gen: (r) => {
      const x = r();
      const a = digits(r, 4);
      const b = digits(r, 4);
      if (x < 0.55) return { value: `010-${a}-${b}` };
      if (x < 0.65) return { value: `010${a}${b}` };
      if (x < 0.75) return { value: `+82 10-${a}-${b}` };
      if (x < 0.9) return { value: `${pick(r, ['02', '031', '051', '062'])}-${int(r, 200, 899)}-${b}` };
      return { value: `+1 ${pick(r, ['212', '415', '646', '312'])}-${int(r, 201, 549)}-${b}` };
    },
    context: ['연락처: ', '전화번호 ', '휴대폰 ', 'call me at ', 'phone: ', 'tel. '],
  },
  {
    type: 'KR_RRN',
    weight: 8,
    gen: (r) => ({ value: rrn(r) }),
    context: ['주민등록번호: ', '주민번호 ', 'RRN ', '생년월일/주민번호 '],
  },
  {
    type: 'CREDIT_CARD',
    weight: 8,
    gen: (r) => ({ value: card(r) }),
    context: ['카드번호: ', '결제 카드 ', 'card number ', 'paid with card '],
  },
  {
    type: 'IP_ADDRESS',
    weight: 8,
    gen: (r) => ({
      value:
        r() < 0.5
          ? `${pick(r, [121, 175, 211, 58, 8])}.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`
          : `${pick(r, ['192.168', '10.0', '172.16'])}.${int(r, 0, 255)}.${int(r, 1, 254)}`,
    }),
    context: ['접속 IP: ', 'from ', 'client ip ', 'IP 주소 '],
  },
  {
    type: 'URL',
    weight: 8,
    gen: (r) => ({
      value: `https://${pick(r, ['www.example.co.kr', 'shop.example.com', 'intranet.corp.example.org'])}/${pick(r, ['users', 'orders', 'files'])}/${digits(r, 5)}?ref=${pick(r, ['mail', 'sms', 'app'])}`,
    }),
    context: ['링크: ', '주소 ', 'see ', 'open '],
  },
  {
    type: 'PERSON',
    weight: 12,
    gen: (r) => {
      const name = `${pick(r, KO_SURNAMES)}${pick(r, KO_GIVEN)}${pick(r, KO_GIVEN)}`;
      const form = r();
      if (form < 0.45) return { value: `${name}님`, start: 0, end: 3 };
      if (form < 0.7) return { value: `${name} 씨`, start: 0, end: 3 };
      if (form < 0.85) return { value: `이름: ${name}`, start: 4, end: 7 };
      return { value: `고객명 ${name}`, start: 4, end: 7 };
    },
    context: [''],
  },
  {
    type: 'PERSON_EN',
    weight: 5,
    gen: (r) => {
      const name = `${pick(r, EN_FIRST)} ${pick(r, EN_LAST)}`;
      const lead = pick(r, ['Dear ', 'Hi ', 'Mr. ', 'Ms. ', 'customer ']);
      return { value: `${lead}${name}`, start: lead.length, end: lead.length + name.length };
    },
    context: [''],
  },
  {
    type: 'KR_BRN',
    weight: 4,
    gen: (r) => ({ value: brn(r) }),
    context: ['사업자등록번호: ', '사업자번호 ', 'business no. '],
  },
  {
    type: 'US_SSN',
    weight: 3,
    gen: (r) => ({ value: ssn(r) }),
    context: ['SSN: ', 'social security number ', 'ssn '],
  },
  {
    type: 'IBAN_CODE',
    weight: 3,
    gen: (r) => ({ value: iban(r) }),
    context: ['IBAN: ', 'iban ', '계좌(IBAN) '],
  },
  {
    type: 'SECRET',
    weight: 3,
    gen: (r) => ({
      value: `AKIA${Array.from({ length: 16 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[int(r, 0, 31)]).join('')}`,
    }),
    context: ['aws_access_key_id=', 'AWS key ', '액세스 키 '],
  },
  {
    type: 'MAC_ADDRESS',
    weight: 3,
    gen: (r) => ({ value: Array.from({ length: 6 }, () => hex(r, 2, true)).join(':') }),
    context: ['MAC ', 'mac address ', '장비 MAC: '],
  },
];

const DECOYS: Gen[] = [
  (r) => ({ value: `2024-${pad(int(r, 1, 12), 2)}-${pad(int(r, 1, 28), 2)}` }),
  (r) => ({ value: `2024년 ${int(r, 1, 12)}월 ${int(r, 1, 28)}일` }),
  (r) => ({ value: `${pad(int(r, 0, 23), 2)}:${pad(int(r, 0, 59), 2)}:${pad(int(r, 0, 59), 2)}` }),
  (r) => ({ value: `2024-0${int(r, 1, 9)}-1${int(r, 0, 9)}T0${int(r, 0, 9)}:${int(r, 10, 59)}:00Z` }),
  (r) => ({ value: `v${int(r, 0, 9)}.${int(r, 0, 20)}.${int(r, 0, 99)}` }),
  (r) => ({ value: `${int(r, 1, 999)},${pad(int(r, 0, 999), 3)},000원` }),
  (r) => ({ value: `$${int(r, 1, 9)},${pad(int(r, 0, 999), 3)}.${pad(int(r, 0, 99), 2)}` }),
  (r) => ({ value: `ORD-2024${pad(int(r, 1, 12), 2)}${pad(int(r, 1, 28), 2)}-${digits(r, 4)}` }),
  (r) => ({ value: `INV-${digits(r, 6)}` }),
  (r) => ({ value: `${digits(r, 4)} ${digits(r, 4)} ${digits(r, 4)}` }),
  (r) => {
    // A 16-digit order number that is not a card (fails Luhn).
    const body = `9${digits(r, 14)}`;
    return { value: `${body}${(luhnCheck(body) + 1) % 10}` };
  },
  (r) => ({ value: `${int(r, 1, 99)}.${int(r, 0, 9)}%` }),
  (r) => ({ value: `port ${int(r, 1024, 65535)}` }),
  (r) => ({ value: `build 2024${pad(int(r, 1, 12), 2)}${pad(int(r, 1, 28), 2)}.${int(r, 1, 9)}` }),
  (r) => ({ value: hex(r, 12) }),
  (r) => ({ value: `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-8${hex(r, 3)}-${hex(r, 12)}` }),
  (r) => ({ value: `10.0.${int(r, 10000, 22631)}.${int(r, 1000, 4000)}` }),
  (r) => ({ value: `접수번호 2024${pad(int(r, 1, 12), 2)}${pad(int(r, 1, 28), 2)}-${digits(r, 7)}` }),
];

const totalWeight = KINDS.reduce((s, k) => s + k.weight, 0);
function pickKind(r: () => number) {
  let x = r() * totalWeight;
  for (const kind of KINDS) {
    x -= kind.weight;
    if (x < 0) return kind;
  }
  return KINDS[KINDS.length - 1]!;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  return n;
}

export interface CorpusOptions {
  seed?: number;
  // Share of sentences that carry a planted value, and a decoy.
  piiRate?: number;
  decoyRate?: number;
}

export function buildCorpus(targetBytes: number, options: CorpusOptions = {}): Corpus {
  const r = rng(options.seed ?? 20261122);
  const piiRate = options.piiRate ?? 0.2;
  const decoyRate = options.decoyRate ?? 0.25;
  const parts: string[] = [];
  const planted: Span[] = [];
  const decoys: Span[] = [];
  let pos = 0;
  let bytes = 0;
  const push = (s: string) => {
    parts.push(s);
    pos += s.length;
    bytes += utf8Length(s);
  };
  while (bytes < targetBytes) {
    const korean = r() < 0.55;
    const words = int(r, 5, 14);
    const piiAt = r() < piiRate ? int(r, 0, words) : -1;
    const decoyAt = r() < decoyRate ? int(r, 0, words) : -1;
    for (let w = 0; w <= words; w++) {
      if (w === piiAt) {
        const kind = pickKind(r);
        const context = r() < 0.7 ? pick(r, kind.context) : '';
        if (context) push(context);
        const made = kind.gen(r);
        const start = pos + (made.start ?? 0);
        const end = pos + (made.end ?? made.value.length);
        planted.push({ type: kind.type === 'PERSON_EN' ? 'PERSON' : kind.type, start, end });
        push(made.value);
        push(' ');
      }
      if (w === decoyAt) {
        const made = pick(r, DECOYS)(r);
        decoys.push({ type: 'DECOY', start: pos, end: pos + made.value.length });
        push(made.value);
        push(' ');
      }
      if (w < words) push(`${pick(r, r() < (korean ? 0.85 : 0.15) ? KO_WORDS : EN_WORDS)} `);
    }
    push(korean ? pick(r, ['.', '.', '요.', '?']) : pick(r, ['.', '.', '!', '?']));
    push(r() < 0.25 ? '\n' : ' ');
  }
  return { text: parts.join(''), bytes, planted, decoys };
}

// The text cut at line ends into pieces of about `size` characters (no value spans a line).
export function chunksOf(text: string, size: number): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const nl = text.lastIndexOf('\n', end);
      end = nl > start ? nl + 1 : end;
    }
    out.push({ start, text: text.slice(start, end) });
    start = end;
  }
  return out;
}

export interface Accuracy {
  planted: number;
  found: number;
  detections: number;
  truePositives: number;
  falsePositives: number;
  recall: number;
  precision: number;
  falsePositivesPerMB: number;
  byType: Record<string, { planted: number; found: number }>;
}

// A planted value counts as found when any detection overlaps it; a detection is a true
// positive when it overlaps a planted value, whatever type either side calls it (the tools
// name types differently).
export function score(planted: readonly Span[], detections: readonly Span[], bytes: number): Accuracy {
  const p = [...planted].sort((a, b) => a.start - b.start);
  const d = [...detections].sort((a, b) => a.start - b.start);
  const hit = new Uint8Array(p.length);
  let truePositives = 0;
  let j = 0;
  for (const det of d) {
    while (j < p.length && p[j]!.end <= det.start) j++;
    let overlaps = false;
    for (let k = j; k < p.length && p[k]!.start < det.end; k++) {
      if (p[k]!.end > det.start) {
        overlaps = true;
        hit[k] = 1;
      }
    }
    if (overlaps) truePositives++;
  }
  const byType: Record<string, { planted: number; found: number }> = {};
  let found = 0;
  p.forEach((span, i) => {
    const t = (byType[span.type] ??= { planted: 0, found: 0 });
    t.planted++;
    if (hit[i]) {
      t.found++;
      found++;
    }
  });
  const falsePositives = d.length - truePositives;
  return {
    planted: p.length,
    found,
    detections: d.length,
    truePositives,
    falsePositives,
    recall: p.length ? found / p.length : Number.NaN,
    precision: d.length ? truePositives / d.length : Number.NaN,
    falsePositivesPerMB: falsePositives / (bytes / 1e6),
    byType,
  };
}
