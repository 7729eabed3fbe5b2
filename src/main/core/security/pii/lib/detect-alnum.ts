import { isAsciiAlnum, isWordChar } from './chars';
import { base58CheckAddressValid, eip55Valid, ibanValid, isMixedCase, segwitAddressValid } from './checksums';
import { CONTEXT, CONTEXT_BOOST, hasContext } from './context-words';
import { IBAN_LENGTHS } from './iban-lengths';
import type { ScanContext } from './scan-context';

// Tokens of letters and digits that carry their own check: IBANs, crypto addresses, and Korean
// passport numbers (no check digit; the word 여권/passport nearby decides).

// Nothing recognised here is longer than this (bech32 addresses go up to 74 characters).
const MAX_TOKEN = 90;

const PASSPORT = /^[MSRODG](?:\d{8}|\d{3}[A-Z]\d{4})$/;
const IBAN_HEAD = /^[A-Z]{2}\d{2}[A-Z0-9]*$/;
const ETHEREUM = /^0x[0-9a-fA-F]{40}$/;
const BASE58 = /^[13][1-9A-HJ-NP-Za-km-z]{24,33}$/;
const SEGWIT = /^(?:bc1|tb1|BC1|TB1)[0-9A-Za-z]{11,71}$/;

// Classifies the word that contains text[from..to) (expanded over [A-Za-z0-9_] both ways) and
// returns where scanning may go on: the word's end, or further for an IBAN written in groups.
export function detectAlnumToken(ctx: ScanContext, from: number, to: number): number {
  const { text } = ctx;
  let start = from;
  while (start > 0 && isWordChar(text.charCodeAt(start - 1))) start--;
  let end = to;
  while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
  const length = end - start;
  if (length < 9 || length > MAX_TOKEN) {
    if (length === 4) return iban(ctx, start, end);
    return end;
  }
  const token = text.slice(start, end);
  const first = token.charCodeAt(0);
  if (length === 9 && PASSPORT.test(token)) {
    const context = hasContext(text, start, end, CONTEXT.passport);
    ctx.add('KR_PASSPORT', start, end, context ? 0.85 : 0.4);
    return end;
  }
  if (first >= 65 && first <= 90 && IBAN_HEAD.test(token)) return iban(ctx, start, end);
  if (length === 42 && ETHEREUM.test(token)) {
    const hex = token.slice(2);
    // Mixed case carries an EIP-55 checksum; one case carries none, so the score is lower.
    if (isMixedCase(hex)) {
      if (eip55Valid(hex)) ctx.add('CRYPTO', start, end, 0.95);
    } else {
      ctx.add('CRYPTO', start, end, 0.6 + (hasContext(text, start, end, CONTEXT.crypto) ? CONTEXT_BOOST : 0));
    }
    return end;
  }
  if (BASE58.test(token)) {
    if (base58CheckAddressValid(token)) ctx.add('CRYPTO', start, end, 0.95);
    return end;
  }
  if (SEGWIT.test(token) && segwitAddressValid(token)) ctx.add('CRYPTO', start, end, 0.95);
  return end;
}

// An IBAN, compact ("GB82WEST12345698765432") or in groups of four ("GB82 WEST 1234 …").
function iban(ctx: ScanContext, start: number, end: number): number {
  const { text } = ctx;
  const head = text.slice(start, end);
  if (!IBAN_HEAD.test(head)) return end;
  const expected = IBAN_LENGTHS[head.slice(0, 2)];
  if (expected === undefined) return end;
  if (head.length === expected) {
    if (ibanValid(head)) ctx.add('IBAN_CODE', start, end, 0.95);
    return end;
  }
  if (head.length !== 4) return end;
  let compact = head;
  let at = end;
  while (compact.length < expected && text.charCodeAt(at) === 32) {
    let k = at + 1;
    while (k < text.length && k - at <= 4 && isAsciiAlnum(text.charCodeAt(k))) k++;
    const size = k - at - 1;
    if (size === 0 || size > 4 || isWordChar(text.charCodeAt(k))) break;
    const group = text.slice(at + 1, k);
    if (group !== group.toUpperCase()) break;
    compact += group;
    at = k;
    if (size < 4) break;
  }
  if (compact.length === expected && ibanValid(compact)) {
    ctx.add('IBAN_CODE', start, at, 0.95);
    return at;
  }
  return end;
}
