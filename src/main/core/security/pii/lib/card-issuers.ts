// Issuer identification numbers of the card networks people actually carry.
export function knownCardIssuer(d: string): boolean {
  const two = Number(d.slice(0, 2));
  const four = Number(d.slice(0, 4));
  const n = d.length;
  if (d[0] === '4') return n === 13 || n === 16 || n === 19; // Visa
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return n === 16; // Mastercard
  if (two === 34 || two === 37) return n === 15; // American Express
  if (four === 6011 || two === 65 || (Number(d.slice(0, 3)) >= 644 && Number(d.slice(0, 3)) <= 649))
    return n >= 16; // Discover
  if (four >= 3528 && four <= 3589) return n >= 16; // JCB
  if (
    two === 36 ||
    two === 38 ||
    two === 39 ||
    (Number(d.slice(0, 3)) >= 300 && Number(d.slice(0, 3)) <= 305)
  )
    return n >= 14; // Diners
  if (two === 62) return n >= 16; // UnionPay
  if (two === 50 || (two >= 56 && two <= 69)) return n >= 12; // Maestro
  if (d[0] === '9') return n === 16; // Korean domestic cards
  return false;
}
