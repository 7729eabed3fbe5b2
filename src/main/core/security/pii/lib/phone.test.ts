import { describe, expect, it } from 'vitest';
import { northAmerican } from './phone';

describe('northAmerican', () => {
  it.each(['4155552671', '14155552671', '2125550100'])('takes %s', (digits) =>
    expect(northAmerican(digits)).toBe(true),
  );
  it.each([
    ['1155552671', 'an area code starting with 1'],
    ['4151552671', 'an exchange starting with 1'],
    ['24155552671', 'eleven digits not starting with the country code 1'],
  ])('refuses %s (%s)', (digits) => expect(northAmerican(digits)).toBe(false));
});
