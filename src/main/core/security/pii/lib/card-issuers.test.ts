import { describe, expect, it } from 'vitest';
import { knownCardIssuer } from './card-issuers';

describe('knownCardIssuer', () => {
  it.each([
    ['4111111111111111', 'Visa'],
    ['4222222222222', 'Visa, 13 digits'],
    ['5555555555554444', 'Mastercard'],
    ['2221000000000009', 'Mastercard 2-series'],
    ['378282246310005', 'American Express'],
    ['6011111111111117', 'Discover'],
    ['3530111333300000', 'JCB'],
    ['30569309025904', 'Diners'],
    ['6200000000000005', 'UnionPay'],
    ['9410123412341234', 'Korean domestic'],
  ])('knows %s (%s)', (digits) => expect(knownCardIssuer(digits)).toBe(true));

  it.each([
    ['411111111111111', 'Visa of 15 digits'],
    ['555555555555444', 'Mastercard of 15 digits'],
    ['3782822463100050', 'American Express of 16 digits'],
    ['1234567812345670', 'no network starts with 1'],
    ['7000000000000000', 'nor with 7'],
  ])('does not know %s (%s)', (digits) => expect(knownCardIssuer(digits)).toBe(false));
});
