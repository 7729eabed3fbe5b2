import { describe, expect, it } from 'vitest';
import {
  base58CheckAddressValid,
  brnValid,
  eip55Valid,
  frnChecksumValid,
  ibanValid,
  luhnValid,
  rrnChecksumValid,
  rrnDateValid,
  segwitAddressValid,
  ssnValid,
} from './checksums';

describe('Luhn', () => {
  it.each(['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '79927398713'])(
    'accepts %s',
    (n) => expect(luhnValid(n)).toBe(true),
  );
  it.each(['4111111111111112', '5555555555554445', '79927398710'])('refuses %s', (n) =>
    expect(luhnValid(n)).toBe(false),
  );
});

describe('IBAN (ISO 13616 mod 97 and the registry lengths)', () => {
  it.each([
    'GB82WEST12345698765432',
    'DE89370400440532013000',
    'FR1420041010050500013M02606',
    'NO9386011117947',
  ])('accepts %s', (iban) => expect(ibanValid(iban)).toBe(true));
  it.each([
    ['GB82WEST12345698765433', 'wrong check'],
    ['GB82WEST1234569876543', 'too short for GB'],
    ['DE89370400440532013001', 'wrong check'],
    ['XX82WEST12345698765432', 'no such country'],
  ])('refuses %s (%s)', (iban) => expect(ibanValid(iban)).toBe(false));
});

describe('Korean registration numbers', () => {
  // 900101-123456?: 9·2+0·3+0·4+1·5+0·6+1·7+1·8+2·9+3·2+4·3+5·4+6·5 = 124; 124 mod 11 = 3;
  // (11 - 3) mod 10 = 8.
  it('computes the RRN check digit', () => {
    expect(rrnChecksumValid('9001011234568')).toBe(true);
    expect(rrnChecksumValid('9001011234567')).toBe(false);
  });

  // With gender digit 5 the sum is 156; 156 mod 11 = 2; (13 - 2) mod 10 = 1.
  it('computes the FRN check digit', () => {
    expect(frnChecksumValid('9001015234561')).toBe(true);
    expect(frnChecksumValid('9001015234567')).toBe(false);
  });

  it.each([
    ['9001011', true, '1990-01-01'],
    ['0002293', true, '2000-02-29, a leap day'],
    ['0102293', false, '2001-02-29 does not exist'],
    ['9013011', false, 'month 13'],
    ['9002301', false, 'February 30'],
    ['9001005', false, 'day 0'],
    ['9912319', true, '1899-12-31 (gender digit 9)'],
  ])('date %s valid: %s (%s)', (head, valid) => expect(rrnDateValid(`${head}000000`)).toBe(valid));

  // 1·1+2·3+4·7+8·1+1·3+0·7+0·1+9·3+9·5 = 118, + floor(9·5/10) = 122; (10 - 2) mod 10 = 8.
  it('computes the BRN check digit', () => {
    expect(brnValid('1248100998')).toBe(true);
    expect(brnValid('1248100999')).toBe(false);
    expect(brnValid('124810099')).toBe(false);
  });
});

describe('US SSN rules', () => {
  it('accepts an ordinary number', () => expect(ssnValid('123456789')).toBe(true));
  it.each([
    ['000123456', 'area 000'],
    ['666123456', 'area 666'],
    ['900123456', 'area 9xx'],
    ['123004567', 'group 00'],
    ['123450000', 'serial 0000'],
  ])('refuses %s (%s)', (n) => expect(ssnValid(n)).toBe(false));
});

describe('Bitcoin addresses', () => {
  it.each(['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'])(
    'accepts base58check %s',
    (a) => expect(base58CheckAddressValid(a)).toBe(true),
  );
  it.each([
    '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb',
    '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz',
    '1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf',
  ])('refuses base58check %s', (a) => expect(base58CheckAddressValid(a)).toBe(false));
  // BIP 173 and BIP 350 test vectors.
  it.each([
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4',
    'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3',
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
  ])('accepts segwit %s', (a) => expect(segwitAddressValid(a)).toBe(true));
  it.each([
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', 'bad checksum'],
    ['bc1Qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'mixed case'],
    ['bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'version changed, checksum not'],
    ['ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'not Bitcoin'],
  ])('refuses segwit %s (%s)', (a) => expect(segwitAddressValid(a)).toBe(false));
});

describe('EIP-55', () => {
  // The EIP's own examples.
  it.each([
    '5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    'fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    'dbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
    'D1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  ])('accepts %s', (a) => expect(eip55Valid(a)).toBe(true));
  it('refuses a mixed-case address with one letter flipped', () =>
    expect(eip55Valid('5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD')).toBe(false));
  it('has nothing to check in a one-case address', () =>
    expect(eip55Valid('5aaeb6053f3e94c9b9a09f33669435e7ef1beaed')).toBe(true));
});
