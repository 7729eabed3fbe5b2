import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

// Korean numbers are checked by hand (the common case, and cheap); everything else goes through
// libphonenumber with the full metadata, which knows every country's valid ranges. libphonenumber
// only ever sees a candidate span, never the whole text.

const KR_AREA = new Set([
  '031',
  '032',
  '033',
  '041',
  '042',
  '043',
  '044',
  '051',
  '052',
  '053',
  '054',
  '055',
  '061',
  '062',
  '063',
  '064',
]);
const KR_OLD_MOBILE = new Set(['011', '016', '017', '018', '019']);

// Score of a Korean number written in groups (e.g. ["010","1234","5678"], ["1588","1234"]),
// or 0 when it is not one.
export function koreanGroupedScore(groups: readonly string[]): number {
  if (groups.length === 2) {
    const [a, b] = groups as [string, string];
    // 15xx/16xx/18xx nationwide numbers.
    return a.length === 4 && b.length === 4 && /^1[568]\d\d$/.test(a) ? 0.6 : 0;
  }
  if (groups.length !== 3) return 0;
  const [a, b, c] = groups as [string, string, string];
  if (c.length !== 4 || b.length < 3 || b.length > 4) return 0;
  if (a === '010') return b.length === 4 ? 0.85 : 0;
  if (KR_OLD_MOBILE.has(a)) return 0.8;
  if (b[0] === '0') return 0;
  if (a === '02' || KR_AREA.has(a) || a === '080') return 0.7;
  if (a === '070') return b.length === 4 ? 0.7 : 0;
  if (/^050[2-8]$/.test(a)) return 0.7;
  return 0;
}

// Score of a Korean number written without separators, or 0.
export function koreanContiguousScore(digits: string): number {
  const n = digits.length;
  if (n === 11 && digits.startsWith('010')) return 0.6;
  if ((n === 10 || n === 11) && KR_OLD_MOBILE.has(digits.slice(0, 3))) return 0.5;
  if ((n === 9 || n === 10) && digits.startsWith('02') && digits[2] !== '0') return 0.4;
  if ((n === 10 || n === 11) && KR_AREA.has(digits.slice(0, 3)) && digits[3] !== '0') return 0.4;
  if (n === 11 && digits.startsWith('070')) return 0.4;
  if (n === 8 && /^1[568]/.test(digits)) return 0.3;
  return 0;
}

// An international number as written after a `+` (e.g. "+1 (415) 555-2671").
export function internationalValid(candidate: string): boolean {
  const parsed = parsePhoneNumberFromString(candidate, { extract: false });
  return parsed !== undefined && parsed.isValid();
}

export function nationalValid(candidate: string, country: CountryCode): boolean {
  const parsed = parsePhoneNumberFromString(candidate, { defaultCountry: country, extract: false });
  return parsed !== undefined && parsed.isValid();
}

// Countries whose national formats are tried when the text says it is a phone number.
export const CONTEXT_COUNTRIES: readonly CountryCode[] = [
  'US',
  'GB',
  'JP',
  'CN',
  'DE',
  'FR',
  'AU',
  'IN',
  'SG',
  'HK',
  'TW',
  'VN',
];

// NANP: area code and exchange both start with 2-9 ("415-555-2671", "1-415-555-2671").
export function northAmerican(digits: string): boolean {
  const d = digits.length === 11 ? digits.slice(1) : digits;
  if (digits.length === 11 && digits[0] !== '1') return false;
  return d.charCodeAt(0) >= 50 && d.charCodeAt(3) >= 50;
}
