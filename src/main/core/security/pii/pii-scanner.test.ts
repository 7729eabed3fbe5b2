import { describe, expect, it } from 'vitest';
import { ADVERSARIAL_PII_INPUTS } from '../../../../../test-support/pii-adversarial-inputs';
import { DEFAULT_PII_THRESHOLD } from '../../../../shared/pii';
import { PiiScanner } from './pii-scanner';
import type { ScanOptions } from './types';

const scanner = new PiiScanner({ timeBudgetMs: 10_000 });

// What was found, as [type, the matched text] pairs, in order.
function found(text: string, options: ScanOptions = {}): [string, string][] {
  return scanner.scan(text, options).findings.map((f) => [f.type, text.slice(f.start, f.end)]);
}

function scoreOf(text: string, match: string, options: ScanOptions = {}): number | undefined {
  const start = text.indexOf(match);
  return scanner
    .scan(text, { threshold: 0, ...options })
    .findings.find((f) => f.start === start && f.end === start + match.length)?.score;
}

describe("the guide's example", () => {
  it('finds exactly the name, the e-mail address and the phone number, at the right offsets', () => {
    const text = '고객 정보: 홍길동님 (hong@example.com, 010-1234-5678)';
    const { findings, timedOut } = scanner.scan(text);
    expect(timedOut).toBe(false);
    expect(findings.map(({ type, start, end }) => ({ type, start, end }))).toEqual([
      { type: 'PERSON', start: 7, end: 10 },
      { type: 'EMAIL_ADDRESS', start: 13, end: 29 },
      { type: 'PHONE_NUMBER', start: 31, end: 44 },
    ]);
    expect(findings.map((f) => text.slice(f.start, f.end))).toEqual([
      '홍길동',
      'hong@example.com',
      '010-1234-5678',
    ]);
    for (const f of findings) expect(f.score).toBeGreaterThanOrEqual(DEFAULT_PII_THRESHOLD);
  });
});

describe('EMAIL_ADDRESS', () => {
  it.each([
    ['메일 hong@example.com 으로', 'hong@example.com'],
    ['<first.last+tag@mail.example.co.kr>', 'first.last+tag@mail.example.co.kr'],
    ['hong@example.com으로 보내 주세요.', 'hong@example.com'],
    ['end of sentence: a_b@example.org.', 'a_b@example.org'],
  ])('finds it in %j', (text, email) => expect(found(text)).toEqual([['EMAIL_ADDRESS', email]]));

  it.each(['hong@localhost', 'a@b.c', 'hong@@example.com', '@example.com', 'hong@example.123', 'x@-bad.com'])(
    'finds nothing in %j',
    (text) => expect(found(text)).toEqual([]),
  );
});

describe('PHONE_NUMBER', () => {
  it.each([
    ['010-1234-5678'],
    ['010 1234 5678'],
    ['010.1234.5678'],
    ['011-123-4567'],
    ['02-123-4567'],
    ['02-1234-5678'],
    ['(02) 123-4567'],
    ['031-123-4567'],
    ['064-712-3456'],
    ['070-1234-5678'],
    ['0505-123-4567'],
    ['080-123-4567'],
    ['1588-1234'],
    ['1644-1234'],
    ['01012345678'],
    ['+82 10-1234-5678'],
    ['+82-2-123-4567'],
    ['+1 (415) 555-2671'],
    ['+44 20 7946 0958'],
    ['+81 3-1234-5678'],
    ['(415) 555-2671'],
    ['415-555-2671'],
  ])('finds %s', (phone) => expect(found(`연락: ${phone} 입니다`)).toEqual([['PHONE_NUMBER', phone]]));

  it.each([
    ['099-123-4567', 'no such area code'],
    ['010-123-4567', '010 numbers have four-digit middles'],
    ['02-023-4567', 'exchanges do not start with 0'],
    ['2024-05-15', 'a date'],
    ['+1 2024', 'too short'],
    ['+82-10-1234-5678-9999', 'too long as one number'],
    ['123-456-7890', 'no NANP area code starts with 1'],
  ])('finds nothing in %s (%s)', (text) => expect(found(text)).toEqual([]));

  it('scores a bare run of digits lower than a formatted number, and context raises it', () => {
    expect(scoreOf('x 010-1234-5678', '010-1234-5678')).toBe(0.85);
    expect(scoreOf('x 01012345678', '01012345678')).toBe(0.6);
    expect(scoreOf('휴대폰 01012345678', '01012345678')).toBe(0.9);
    expect(scoreOf('x 0212345678 y', '0212345678')).toBe(0.4);
    expect(scoreOf('tel: 0212345678', '0212345678')).toBe(0.7);
  });

  it("finds another country's national format only with a phone word nearby", () => {
    expect(found('020 7946 0958')).toEqual([]);
    expect(found('UK office phone 020 7946 0958')).toEqual([['PHONE_NUMBER', '020 7946 0958']]);
  });
});

describe('KR_RRN and KR_FRN', () => {
  it('finds a number with a valid check digit', () => {
    expect(found('900101-1234568')).toEqual([['KR_RRN', '900101-1234568']]);
    expect(scoreOf('900101-1234568', '900101-1234568')).toBe(0.95);
  });

  it('still finds a number issued since October 2020 (no check digit), with a lower score', () => {
    expect(found('900101-1234567')).toEqual([['KR_RRN', '900101-1234567']]);
    expect(scoreOf('900101-1234567', '900101-1234567')).toBe(0.6);
    expect(scoreOf('주민등록번호 900101-1234567', '900101-1234567')).toBe(0.9);
  });

  it('needs context for thirteen bare digits without a check digit', () => {
    expect(found('9001011234567')).toEqual([]);
    expect(found('주민번호 9001011234567')).toEqual([['KR_RRN', '9001011234567']]);
    expect(found('9001011234568')).toEqual([['KR_RRN', '9001011234568']]);
  });

  it('finds 2000s births (gender digits 3 and 4) on real dates only', () => {
    expect(found('000229-3123454')).toEqual([['KR_RRN', '000229-3123454']]);
    expect(found('010229-3123454')).toEqual([]);
  });

  it('reads gender digits 5-8 as foreigner registration numbers', () => {
    expect(found('900101-5234561')).toEqual([['KR_FRN', '900101-5234561']]);
    expect(scoreOf('900101-5234561', '900101-5234561')).toBe(0.95);
    expect(found('외국인등록번호 900101-6234567')).toEqual([['KR_FRN', '900101-6234567']]);
  });

  it.each([
    ['901301-1234568', 'month 13'],
    ['900230-1234568', 'February 30'],
    ['900101-1234', 'too short'],
    ['12345679001011234568', 'inside a longer number'],
    ['a900101-1234568', 'glued to a word'],
    ['900101-1234568-1', 'inside a longer dashed number'],
    ['1900101-1234568', 'seven-digit date'],
    ['900101.1234568', 'a dot is not how RRNs are written'],
  ])('finds nothing in %s (%s)', (text) => expect(found(text)).toEqual([]));
});

describe('KR_BRN', () => {
  it('finds a number whose check digit is right', () => {
    expect(found('사업자등록번호 124-81-00998')).toEqual([['KR_BRN', '124-81-00998']]);
    expect(scoreOf('124-81-00998', '124-81-00998')).toBe(0.7);
  });

  it('refuses a wrong check digit, and needs context for ten bare digits', () => {
    expect(found('124-81-00999')).toEqual([]);
    expect(found('1248100998')).toEqual([]);
    expect(found('사업자 1248100998')).toEqual([['KR_BRN', '1248100998']]);
  });
});

describe('KR_PASSPORT', () => {
  it('finds both forms when the text says passport', () => {
    expect(found('여권번호 M12345678')).toEqual([['KR_PASSPORT', 'M12345678']]);
    expect(found('passport no. M123A4567')).toEqual([['KR_PASSPORT', 'M123A4567']]);
  });

  it('leaves a letter and eight digits alone without context', () => {
    expect(found('model M12345678')).toEqual([]);
    expect(scoreOf('model M12345678', 'M12345678')).toBe(0.4);
  });

  it.each(['여권 X12345678', '여권 M1234567', '여권 M123456789', '여권 AM12345678'])(
    'finds nothing in %s',
    (text) => expect(found(text)).toEqual([]),
  );
});

describe('KR_DRIVER_LICENSE', () => {
  it('finds the two-digit region form with a valid region code', () => {
    expect(found('11-12-345678-90')).toEqual([['KR_DRIVER_LICENSE', '11-12-345678-90']]);
    expect(found('29-12-345678-90')).toEqual([]);
    expect(found('10-12-345678-90')).toEqual([]);
  });

  it('finds the region-name form', () => {
    expect(found('서울 12-345678-90')).toEqual([['KR_DRIVER_LICENSE', '12-345678-90']]);
    expect(found('12-345678-90')).toEqual([]);
  });

  it('finds twelve bare digits only with context', () => {
    expect(found('111234567890')).toEqual([]);
    expect(found('운전면허 111234567890')).toEqual([['KR_DRIVER_LICENSE', '111234567890']]);
  });
});

describe('KR_BANK_ACCOUNT', () => {
  it('needs a bank word nearby', () => {
    expect(found('계좌번호 110-123-456789')).toEqual([['KR_BANK_ACCOUNT', '110-123-456789']]);
    expect(found('110-123-456789 (신한은행)')).toEqual([['KR_BANK_ACCOUNT', '110-123-456789']]);
    expect(found('account 123456-01-123456')).toEqual([['KR_BANK_ACCOUNT', '123456-01-123456']]);
    expect(found('주문번호 110-123-456789')).toEqual([]);
  });
});

// Each context word names one kind of number. A business number whose check digit is wrong is
// not a bank account because a bank word sits in the same sentence, and "등록번호" inside
// "사업자등록번호" or "주민등록번호" does not vouch for the other kind.
describe('context words of one kind do not vouch for another', () => {
  it.each([
    [
      '상호: (주)예시상사 / 사업자등록번호: 123-45-67890 / 입금계좌: 신한 110-123-456789',
      [['KR_BANK_ACCOUNT', '110-123-456789']],
    ],
    ['신한상사 사업자등록번호 123-45-67890', []],
    ['사업자등록번호 1234567890 (입금 확인)', []],
    ['사업자등록번호 124-81-00998 (입금 확인)', [['KR_BRN', '124-81-00998']]],
    ['계좌번호 110-123-456789, 사업자등록번호 124-81-00999', [['KR_BANK_ACCOUNT', '110-123-456789']]],
    [
      '연락처 010-1234-5678 / 계좌 110-123-456789',
      [
        ['PHONE_NUMBER', '010-1234-5678'],
        ['KR_BANK_ACCOUNT', '110-123-456789'],
      ],
    ],
    ['사업자 계좌 110-123-456789', [['KR_BANK_ACCOUNT', '110-123-456789']]],
    ['주민등록번호 1248100998', []],
    ['외국인등록번호 1248100998', []],
  ])('%s', (text, expected) => expect(found(text)).toEqual(expected));

  it('does not boost a resident number for "등록번호" inside a business or corporate label', () => {
    expect(scoreOf('사업자등록번호 900101-1234568', '900101-1234568')).toBe(0.95);
    expect(scoreOf('법인등록번호 110111-1234567', '110111-1234567')).toBe(0.6);
    expect(scoreOf('business registration 900101-1234568', '900101-1234568')).toBe(0.95);
    expect(scoreOf('주민등록번호 900101-1234567', '900101-1234567')).toBe(0.9);
    expect(scoreOf('외국인등록번호 900101-5234567', '900101-5234567')).toBe(0.9);
  });

  it('does not boost a business number for "등록번호" inside a resident label', () => {
    expect(scoreOf('주민등록번호 124-81-00998', '124-81-00998')).toBe(0.7);
    expect(scoreOf('사업자등록번호 124-81-00998', '124-81-00998')).toBe(1);
    expect(scoreOf('법인 1248100998', '1248100998')).toBe(0.65);
  });
});

describe('PERSON (Korean names)', () => {
  it.each([
    ['홍길동님 안녕하세요', '홍길동'],
    ['김철수 씨가 왔습니다', '김철수'],
    ['김철수씨는', '김철수'],
    ['박지성 고객님께', '박지성'],
    ['이영희선생님', '이영희'],
    ['남궁민수님', '남궁민수'],
    ['이름: 최민호', '최민호'],
    ['성명：정수진', '정수진'],
  ])('finds the name in %j', (text, name) => expect(found(text)).toEqual([['PERSON', name]]));

  it.each([
    '고객님 안녕하세요',
    '날씨가 좋네요',
    '아저씨 고객님',
    '하나님 감사합니다',
    '씨앗을 심었다',
    'hong님',
    '어머님께',
    '홍길동님비',
    '이름: 미정',
  ])('finds no name in %j', (text) => expect(found(text)).toEqual([]));
});

describe('CREDIT_CARD', () => {
  it.each([
    ['4111 1111 1111 1111', 0.9],
    ['4111-1111-1111-1111', 0.9],
    ['5555 5555 5555 4444', 0.9],
    ['3782 822463 10005', 0.9],
    ['378282246310005', 0.75],
    ['6011111111111117', 0.75],
  ])('finds %s', (card, score) => {
    expect(found(card)).toEqual([['CREDIT_CARD', card]]);
    expect(scoreOf(card, card)).toBe(score);
  });

  it.each([
    ['4111 1111 1111 1112', 'Luhn fails'],
    ['4111-1111-1111-1111-1', 'part of a longer run'],
    ['41111111111111111111', 'too long'],
    ['4111-1111 1111-1111', 'mixed separators'],
  ])('finds nothing in %s (%s)', (text) => expect(found(text)).toEqual([]));

  it('needs a card word for a Luhn-valid number of no known issuer', () => {
    expect(found('8000000000000003')).toEqual([]);
    expect(found('카드번호 8000000000000003')).toEqual([['CREDIT_CARD', '8000000000000003']]);
  });
});

describe('IBAN_CODE', () => {
  it.each([
    'GB82WEST12345698765432',
    'DE89370400440532013000',
    'GB82 WEST 1234 5698 7654 32',
    'DE89 3704 0044 0532 0130 00',
  ])('finds %s', (iban) => expect(found(`IBAN: ${iban}.`)).toEqual([['IBAN_CODE', iban]]));

  it.each([
    'GB82WEST12345698765433',
    'GB82WEST1234569876543',
    'XGB82WEST12345698765432',
    'GB82 WEST 1234 5698 7654 33',
  ])('finds nothing in %s', (text) => expect(found(text)).toEqual([]));
});

describe('IP_ADDRESS', () => {
  it.each([
    '192.168.0.1',
    '8.8.8.8',
    '2001:db8::ff00:42:8329',
    'fe80::1',
    '::1',
    '2001:0db8:0000:0000:0000:ff00:0042:8329',
  ])('finds %s', (ip) => expect(found(`host ${ip} up`)).toEqual([['IP_ADDRESS', ip]]));

  it.each(['256.1.1.1', '1.2.3.4.5', 'v1.2.3.4', '12:30:45', 'std::vector', '01.02.03.04'])(
    'finds nothing in %s',
    (text) => expect(found(text)).toEqual([]),
  );
});

describe('URL', () => {
  it.each([
    ['see https://example.com/a?b=1&c=2 now', 'https://example.com/a?b=1&c=2'],
    ['(https://example.com/path)', 'https://example.com/path'],
    ['https://ko.example.com에서 확인', 'https://ko.example.com'],
    ['http://localhost:8080/x', 'http://localhost:8080/x'],
    ['visit www.example.com.', 'www.example.com'],
  ])('finds it in %j', (text, url) => expect(found(text)).toEqual([['URL', url]]));

  it.each(['http://', 'www.', 'xhttps://example.com'])('finds nothing in %j', (text) =>
    expect(found(text)).toEqual([]),
  );

  it('reports a URL with an address in it once, as the URL', () =>
    expect(found('http://192.168.0.1/admin')).toEqual([['URL', 'http://192.168.0.1/admin']]));
});

describe('MAC_ADDRESS', () => {
  it.each(['00:1A:2B:3C:4D:5E', '00-1a-2b-3c-4d-5e', 'AA:BB:CC:DD:EE:FF'])('finds %s', (mac) =>
    expect(found(`mac ${mac} ok`)).toEqual([['MAC_ADDRESS', mac]]),
  );
  it.each(['00:1A:2B:3C:4D', '00:1A:2B:3C:4D:5E:6F', 'x00-1A-2B-3C-4D-5E'])('finds nothing in %s', (text) =>
    expect(found(text)).toEqual([]),
  );
});

describe('CRYPTO', () => {
  it.each([
    '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  ])('finds %s', (address) => {
    expect(found(`send to ${address} please`)).toEqual([['CRYPTO', address]]);
    expect(scoreOf(address, address)).toBe(0.95);
  });

  it('gives an all-lower-case Ethereum address (no checksum) a lower score, raised by context', () => {
    const address = '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed';
    expect(scoreOf(address, address)).toBe(0.6);
    expect(scoreOf(`ETH wallet ${address}`, address)).toBe(0.9);
  });

  it.each([
    '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb',
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe',
  ])('finds nothing in %s', (text) => expect(found(text)).toEqual([]));
});

describe('US_SSN', () => {
  it('finds a dashed number, and context raises it', () => {
    expect(found('123-45-6789')).toEqual([['US_SSN', '123-45-6789']]);
    expect(scoreOf('123-45-6789', '123-45-6789')).toBe(0.6);
    expect(scoreOf('SSN 123-45-6789', '123-45-6789')).toBe(0.9);
    expect(found('123456789')).toEqual([]);
    expect(found('social security 123456789')).toEqual([['US_SSN', '123456789']]);
  });

  it.each(['000-12-3456', '666-12-3456', '900-12-3456', '123-00-4567', '123-45-0000'])(
    'finds nothing in %s',
    (text) => expect(found(text)).toEqual([]),
  );
});

describe('SECRET', () => {
  const jwt =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
  const pem =
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1L7VLPHCgcBIjt\n-----END RSA PRIVATE KEY-----';

  it.each([
    ['key AKIAIOSFODNN7EXAMPLE here', 'AKIAIOSFODNN7EXAMPLE'],
    ['ghp_abcdefghijklmnopqrstuvwxyz0123456789 ok', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    [
      'github_pat_11ABCDEFG0123456789abcdef_ghijklmnopqrstuvwxyz0123456789',
      'github_pat_11ABCDEFG0123456789abcdef_ghijklmnopqrstuvwxyz0123456789',
    ],
    ['xoxb-123456789012-1234567890123-abcdefghijklmnop', 'xoxb-123456789012-1234567890123-abcdefghijklmnop'],
    [`Authorization: Bearer ${jwt}`, jwt],
    [`key:\n${pem}\n`, pem],
    ['api_key="sk-live-123456abc"', 'sk-live-123456abc'],
    ['{"password": "hunter22"}', 'hunter22'],
    [
      'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    ],
    ['client_secret: 9f8e7d6c5b4a', '9f8e7d6c5b4a'],
    ['비밀번호: abcd1234!', 'abcd1234!'],
    ['curl -H "Authorization: Bearer abc123def456ghi"', 'abc123def456ghi'],
  ])('finds the secret in %j', (text, secret) => expect(found(text)).toEqual([['SECRET', secret]]));

  it.each([
    'token: required',
    'password=${DB_PASSWORD}',
    'api_key = os.environ["API_KEY"]',
    'const token = getToken();',
    'token_type: Bearer',
    'max_tokens: 4096',
    'password: ********',
    'password = config.password',
    'xAKIAIOSFODNN7EXAMPLE',
    'eyJub3QiOiJqd3QifQ.eyJzdWIiOiIxIn0.abc',
  ])('finds no secret in %j', (text) => expect(found(text)).toEqual([]));

  it('reports a private key block without its END line up to the end of its base64 lines', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\r\nAoIBAQC7VJTUt9Us8cKj';
    expect(found(`${key}\n\nnext paragraph`)).toEqual([['SECRET', key]]);
    expect(found(`${key}\nnext line, not base64`)).toEqual([['SECRET', key]]);
  });
});

describe('context words', () => {
  it('count within about five words before the match, not further', () => {
    expect(scoreOf('주민번호 900101-1234567', '900101-1234567')).toBe(0.9);
    const far = `주민번호 ${'x'.repeat(60)} 900101-1234567`;
    expect(scoreOf(far, '900101-1234567')).toBe(0.6);
  });

  it('count right after the match too', () => {
    expect(scoreOf('900101-1234567 (주민등록번호)', '900101-1234567')).toBe(0.9);
  });
});

describe('boundaries', () => {
  it.each([
    ['123456789001011234568', 'an RRN inside a longer number'],
    ['ID9001011234568', 'an RRN glued to letters'],
    ['x010-1234-5678', 'a phone number glued to a letter'],
    ['010-1234-5678-9', 'a phone number inside a longer dashed number'],
    ['1.192.168.0.1', 'an address inside a longer dotted number'],
    ['order 4111111111111111111', 'a card inside a longer number'],
    ['ABC-010-1234-5678', 'a phone number hyphenated to a word'],
    ['900101-1234568-X', 'an RRN hyphenated to a word'],
  ])('finds nothing in %s (%s)', (text) => expect(found(text)).toEqual([]));

  it('allows Korean particles glued to a number', () => {
    expect(found('010-1234-5678로 연락')).toEqual([['PHONE_NUMBER', '010-1234-5678']]);
    expect(found('번호는010-1234-5678')).toEqual([['PHONE_NUMBER', '010-1234-5678']]);
  });

  it('cuts a space-separated run into its numbers', () => {
    expect(found('전화 010 1234 5678 900101-1234568 2024')).toEqual([
      ['PHONE_NUMBER', '010 1234 5678'],
      ['KR_RRN', '900101-1234568'],
    ]);
    expect(found('010-1234-5678,010-9876-5432')).toEqual([
      ['PHONE_NUMBER', '010-1234-5678'],
      ['PHONE_NUMBER', '010-9876-5432'],
    ]);
  });
});

describe('long runs of numbers', () => {
  it.each([55, 58, 59, 60, 61, 63, 64, 65, 120])(
    'reads a space-separated run whole, finding a card after %i other numbers',
    (before) => {
      const text = `${'7 '.repeat(before)}4111 1111 1111 1111 ${'7 '.repeat(70)}010 1234 5678`;
      expect(found(text)).toEqual([
        ['CREDIT_CARD', '4111 1111 1111 1111'],
        ['PHONE_NUMBER', '010 1234 5678'],
      ]);
    },
  );
});

describe('adversarial input', () => {
  // Each of these once cost (or could cost) time quadratic in its length (1 MB each).
  it.each(ADVERSARIAL_PII_INPUTS)('%s', (_name, text) => {
    // Finishes (no catastrophic backtracking); how fast is measured in bench/ (pii.adversarial).
    const result = new PiiScanner({ timeBudgetMs: 60_000 }).scan(text);
    expect(result.timedOut).toBe(false);
  });
});

describe('scan options', () => {
  const text = '홍길동님 hong@example.com 010-1234-5678 123-45-6789';

  it('reports only the entities asked for', () => {
    expect(found(text, { entities: ['EMAIL_ADDRESS'] })).toEqual([['EMAIL_ADDRESS', 'hong@example.com']]);
    expect(found(text, { entities: ['PHONE_NUMBER', 'US_SSN'] })).toEqual([
      ['PHONE_NUMBER', '010-1234-5678'],
      ['US_SSN', '123-45-6789'],
    ]);
    expect(found(text, { entities: [] })).toEqual([]);
  });

  it('drops findings below the threshold', () => {
    expect(found(text, { threshold: 0.9 })).toEqual([['EMAIL_ADDRESS', 'hong@example.com']]);
    expect(new PiiScanner({ threshold: 0.9 }).scan(text).findings).toHaveLength(1);
  });

  it('returns findings sorted by start and never overlapping', () => {
    const { findings } = scanner.scan(`${text} https://hong@example.com/010-1234-5678 ${text}`);
    for (let i = 1; i < findings.length; i++)
      expect(findings[i]!.start).toBeGreaterThanOrEqual(findings[i - 1]!.end);
  });

  it('refuses a threshold outside 0..1 and a negative budget', () => {
    expect(() => scanner.scan('x', { threshold: 2 })).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: 'a PII threshold is a number from 0 to 1, got 2',
      }),
    );
    expect(() => new PiiScanner({ timeBudgetMs: -1 })).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: 'a scan time budget is a number of milliseconds >= 0, got -1',
      }),
    );
  });

  it('scans the empty string', () =>
    expect(scanner.scan('')).toMatchObject({ findings: [], timedOut: false }));
});

describe('the time budget', () => {
  const big = '홍길동님 hong@example.com 010-1234-5678 filler text 2024-05-15 '.repeat(40_000);

  it('stops and says so when a tiny budget runs out on a large input', () => {
    const result = new PiiScanner({ timeBudgetMs: 1 }).scan(big);
    expect(result.timedOut).toBe(true);
    expect(result.findings.length).toBeLessThan(120_000);
  });

  it('keeps what it found before the budget ran out (a clock that jumps per reading)', () => {
    let now = 0;
    // Every reading of the clock is 10 ms later: the first detectors get to run, later ones not.
    const clock = () => (now += 10);
    const result = new PiiScanner({ timeBudgetMs: 25, clock }).scan(
      'hong@example.com 010-1234-5678 https://example.com',
    );
    expect(result.timedOut).toBe(true);
    expect(result.findings.map((f) => f.type)).toContain('EMAIL_ADDRESS');
    expect(result.findings.map((f) => f.type)).not.toContain('URL');
  });
});
