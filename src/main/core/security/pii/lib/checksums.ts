import { createHash } from 'node:crypto';
import { keccak_256 } from '@noble/hashes/sha3';
import { IBAN_LENGTHS } from './iban-lengths';

// Check digits of the formats the scanner knows. Each takes the bare characters (no separators)
// and says whether the check passes; none of them throws.

const digitAt = (s: string, i: number): number => s.charCodeAt(i) - 48;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digitAt(digits, i);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// ISO 13616: move the first four characters to the end, letters become 10..35, mod 97 is 1.
export function ibanValid(iban: string): boolean {
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expected === undefined || iban.length !== expected) return false;
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    remainder = c <= 57 ? (remainder * 10 + (c - 48)) % 97 : (remainder * 100 + (c - 55)) % 97;
  }
  return remainder === 1;
}

const RRN_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];

function rrnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += digitAt(digits, i) * RRN_WEIGHTS[i]!;
  return sum;
}

// Korean resident registration numbers issued before October 2020 end in this check digit.
export function rrnChecksumValid(digits: string): boolean {
  return (11 - (rrnSum(digits) % 11)) % 10 === digitAt(digits, 12);
}

// Foreigner registration numbers use the same weights with a different offset.
export function frnChecksumValid(digits: string): boolean {
  return (13 - (rrnSum(digits) % 11)) % 10 === digitAt(digits, 12);
}

// The century each gender digit stands for (9 and 0: born in the 1800s).
const CENTURY: Record<number, number> = {
  1: 1900,
  2: 1900,
  3: 2000,
  4: 2000,
  5: 1900,
  6: 1900,
  7: 2000,
  8: 2000,
  9: 1800,
  0: 1800,
};

// YYMMDD plus the gender digit (index 6) name a real date.
export function rrnDateValid(digits: string): boolean {
  const century = CENTURY[digitAt(digits, 6)];
  if (century === undefined) return false;
  const year = century + digitAt(digits, 0) * 10 + digitAt(digits, 1);
  const month = digitAt(digits, 2) * 10 + digitAt(digits, 3);
  const day = digitAt(digits, 4) * 10 + digitAt(digits, 5);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

const BRN_WEIGHTS = [1, 3, 7, 1, 3, 7, 1, 3, 5];

// Korean business registration number (10 digits).
export function brnValid(digits: string): boolean {
  if (digits.length !== 10) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += digitAt(digits, i) * BRN_WEIGHTS[i]!;
  sum += Math.floor((digitAt(digits, 8) * 5) / 10);
  return (10 - (sum % 10)) % 10 === digitAt(digits, 9);
}

// US SSN: no area 000, 666 or 9xx, no group 00, no serial 0000.
export function ssnValid(digits: string): boolean {
  if (digits.length !== 9) return false;
  const area = digits.slice(0, 3);
  if (area === '000' || area === '666' || area[0] === '9') return false;
  return digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE58.length; i++) BASE58_INDEX[BASE58.charCodeAt(i)] = i;

function base58Decode(text: string): Uint8Array | null {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const value = c < 128 ? BASE58_INDEX[c]! : -1;
    if (value < 0) return null;
    let carry = value;
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j]! * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (let i = 0; i < text.length && text[i] === '1'; i++) bytes.push(0);
  return Uint8Array.from(bytes.reverse());
}

// Bitcoin P2PKH (version 0x00, "1…") and P2SH (0x05, "3…") addresses: base58check with a
// double-SHA-256 checksum.
export function base58CheckAddressValid(text: string): boolean {
  const bytes = base58Decode(text);
  if (bytes === null || bytes.length !== 25) return false;
  if (bytes[0] !== 0x00 && bytes[0] !== 0x05) return false;
  const payload = bytes.subarray(0, 21);
  const first = createHash('sha256').update(payload).digest();
  const second = createHash('sha256').update(first).digest();
  for (let i = 0; i < 4; i++) if (second[i] !== bytes[21 + i]) return false;
  return true;
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const BECH32M_CONST = 0x2bc830a3;

function bech32Polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= BECH32_GENERATOR[i]!;
  }
  return chk >>> 0;
}

// Segwit addresses (BIP 173 bech32 for version 0, BIP 350 bech32m for versions 1..16) on
// Bitcoin's main and test networks.
export function segwitAddressValid(address: string): boolean {
  if (address.length < 14 || address.length > 74) return false;
  const lower = address.toLowerCase();
  if (address !== lower && address !== address.toUpperCase()) return false;
  const sep = lower.lastIndexOf('1');
  const hrp = lower.slice(0, sep);
  if (hrp !== 'bc' && hrp !== 'tb') return false;
  const data: number[] = [];
  for (let i = sep + 1; i < lower.length; i++) {
    const v = BECH32_CHARSET.indexOf(lower[i]!);
    if (v < 0) return false;
    data.push(v);
  }
  if (data.length < 7) return false;
  const expanded: number[] = [];
  for (let i = 0; i < hrp.length; i++) expanded.push(hrp.charCodeAt(i) >> 5);
  expanded.push(0);
  for (let i = 0; i < hrp.length; i++) expanded.push(hrp.charCodeAt(i) & 31);
  const check = bech32Polymod([...expanded, ...data]);
  const version = data[0]!;
  if (version > 16) return false;
  if (check !== (version === 0 ? 1 : BECH32M_CONST)) return false;
  // The witness program is 2..40 bytes (20 or 32 for version 0).
  const programBits = (data.length - 1 - 6) * 5;
  const programBytes = Math.floor(programBits / 8);
  if (programBytes < 2 || programBytes > 40) return false;
  return version !== 0 || programBytes === 20 || programBytes === 32;
}

// EIP-55: in a mixed-case address each letter is upper case exactly when the matching nibble
// of keccak256(lower-case hex) is 8 or more. All-lower or all-upper addresses carry no check.
export function eip55Valid(hex40: string): boolean {
  const lower = hex40.toLowerCase();
  if (hex40 === lower || hex40 === hex40.toUpperCase()) return true;
  const hash = keccak_256(new TextEncoder().encode(lower));
  for (let i = 0; i < 40; i++) {
    const c = hex40.charCodeAt(i);
    if (c < 65) continue;
    const nibble = i % 2 === 0 ? hash[i >> 1]! >> 4 : hash[i >> 1]! & 0x0f;
    const upper = c <= 70;
    if (upper !== nibble >= 8) return false;
  }
  return true;
}

export function isMixedCase(text: string): boolean {
  return text !== text.toLowerCase() && text !== text.toUpperCase();
}
