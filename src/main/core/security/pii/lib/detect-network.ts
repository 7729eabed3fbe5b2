import { isIPv6 } from 'node:net';
import { isHexDigit, isWordChar } from './chars';
import type { Detector, ScanContext } from './scan-context';

// IPv6 and MAC addresses, found from each ":" (and "-" for MACs written with dashes). IPv4 is
// found with the other digit groups (detect-numbers).

const MAX_IPV6 = 45;
const MAC_COLON = /^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}$/;
const MAC_DASH = /[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}/y;

function isAddressChar(c: number): boolean {
  return isHexDigit(c) || c === 58 || c === 46;
}

export const networkDetector: Detector = {
  name: 'network',
  types: ['IP_ADDRESS', 'MAC_ADDRESS'],
  run(ctx) {
    colons(ctx);
    if (ctx.wants('MAC_ADDRESS')) dashes(ctx);
  },
};

function colons(ctx: ScanContext): void {
  const { text } = ctx;
  // Each run of address characters is read once: colons inside one already read are skipped.
  let readUntil = 0;
  let p = text.indexOf(':');
  while (p !== -1) {
    if (ctx.expired()) return;
    let start = p;
    while (start > readUntil && p - start <= MAX_IPV6 && isAddressChar(text.charCodeAt(start - 1))) start--;
    let end = p + 1;
    while (end < text.length && isAddressChar(text.charCodeAt(end))) end++;
    readUntil = end;
    const next = end;
    // A sentence may end right after the address.
    while (end > p + 1 && text.charCodeAt(end - 1) === 46) end--;
    if (
      end - start <= MAX_IPV6 &&
      !isAddressChar(text.charCodeAt(start - 1)) &&
      !isWordChar(text.charCodeAt(start - 1)) &&
      !isWordChar(text.charCodeAt(next)) &&
      text.charCodeAt(start) !== 46
    ) {
      const candidate = text.slice(start, end);
      if (candidate.length === 17 && MAC_COLON.test(candidate)) ctx.add('MAC_ADDRESS', start, end, 0.8);
      else if (
        candidate.length >= 3 &&
        candidate.indexOf(':', p - start + 1) !== -1 &&
        hasHex(candidate) &&
        isIPv6(candidate)
      )
        ctx.add('IP_ADDRESS', start, end, 0.7);
    }
    p = text.indexOf(':', next);
  }
}

function hasHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isHexDigit(s.charCodeAt(i))) return true;
  return false;
}

function dashes(ctx: ScanContext): void {
  const { text } = ctx;
  let p = text.indexOf('-');
  while (p !== -1) {
    if (ctx.expired()) return;
    let next = p + 1;
    // Cheap shape test first: hex pair, dash, hex pair, dash.
    if (
      p >= 2 &&
      text.charCodeAt(p + 3) === 45 &&
      isHexDigit(text.charCodeAt(p - 1)) &&
      isHexDigit(text.charCodeAt(p - 2)) &&
      isHexDigit(text.charCodeAt(p + 1)) &&
      isHexDigit(text.charCodeAt(p + 2)) &&
      !isWordChar(text.charCodeAt(p - 3)) &&
      text.charCodeAt(p - 3) !== 45
    ) {
      MAC_DASH.lastIndex = p - 2;
      if (MAC_DASH.test(text)) {
        const end = MAC_DASH.lastIndex;
        const after = text.charCodeAt(end);
        if (!isWordChar(after) && after !== 45) ctx.add('MAC_ADDRESS', p - 2, end, 0.8);
        next = end;
      }
    }
    p = text.indexOf('-', next);
  }
}
