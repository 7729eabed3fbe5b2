import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './paths';
import type { Span } from './corpus';

// redact-pii returns redacted text, not spans. To score it, its own default redactors (from its
// composition module) are replayed in its order with each replacement recorded and mapped back to
// the original text; the replay's output is compared with SyncRedactor.redact() on every chunk,
// so the spans are those of the real library or the run says it could not tell.

const require = createRequire(join(ROOT, 'package.json'));

interface ChildRedactor {
  redact(text: string): string;
  regexpMatcher?: RegExp;
  replaceWith?: string;
}

interface Seg {
  cs: number;
  ce: number;
  os: number;
  oe: number;
  rep: boolean;
}

// The current text as pieces of the original, or replacements standing for a stretch of it.
class Tracker {
  segs: Seg[];
  constructor(length: number) {
    this.segs = [{ cs: 0, ce: length, os: 0, oe: length, rep: false }];
  }

  #find(pos: number): number {
    let lo = 0;
    let hi = this.segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segs[mid]!.cs <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  #origStart(pos: number): number {
    const s = this.segs[this.#find(pos)]!;
    if (pos >= s.ce) return s.oe;
    return s.rep ? s.os : s.os + (pos - s.cs);
  }

  #origEnd(pos: number): number {
    const s = this.segs[this.#find(Math.max(0, pos - 1))]!;
    return s.rep ? s.oe : s.os + (pos - s.cs);
  }

  // Matches in current coordinates, sorted and disjoint.
  apply(matches: readonly { s: number; e: number; replacement: string }[]): void {
    if (matches.length === 0) return;
    const out: Seg[] = [];
    let delta = 0;
    let prev = 0;
    const copy = (a: number, b: number) => {
      if (b <= a) return;
      for (let i = this.#find(a); i < this.segs.length && this.segs[i]!.cs < b; i++) {
        const s = this.segs[i]!;
        const lo = Math.max(a, s.cs);
        const hi = Math.min(b, s.ce);
        if (hi <= lo) continue;
        out.push(
          s.rep
            ? { cs: lo + delta, ce: hi + delta, os: s.os, oe: s.oe, rep: true }
            : { cs: lo + delta, ce: hi + delta, os: s.os + (lo - s.cs), oe: s.os + (hi - s.cs), rep: false },
        );
      }
    };
    for (const m of matches) {
      if (m.e <= m.s) continue;
      copy(prev, m.s);
      out.push({
        cs: m.s + delta,
        ce: m.s + delta + m.replacement.length,
        os: this.#origStart(m.s),
        oe: this.#origEnd(m.e),
        rep: true,
      });
      delta += m.replacement.length - (m.e - m.s);
      prev = m.e;
    }
    copy(prev, this.segs[this.segs.length - 1]!.ce);
    this.segs = out;
  }

  spans(): Span[] {
    const seen = new Set<string>();
    const out: Span[] = [];
    for (const s of this.segs) {
      if (!s.rep) continue;
      const key = `${s.os}:${s.oe}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ type: 'REDACTED', start: s.os, end: s.oe });
    }
    return out;
  }
}

// NameRedactor's expressions, as redact-pii 3.4.0 builds them (lib/built-ins/NameRedactor.js).
const wellKnown = require('redact-pii/lib/built-ins/well-known-names.json') as string[];
const greetingRegex = /(^|\.\s+)(dear|hi|hello|greetings|hey|hey there)/gi;
const closingRegex =
  /(thx|thanks|thank you|regards|best|[a-z]+ly|[a-z]+ regards|all the best|happy [a-z]+ing|take care|have a [a-z]+ (weekend|night|day))/gi;
const greetingOrClosing = new RegExp(
  '(((' + greetingRegex.source + ')|(' + closingRegex.source + '\\s*[,.!]*))[\\s-]*)',
  'gi',
);
const genericName = new RegExp('( ?(([A-Z][a-z]+)|([A-Z]\\.)))+([,.]|[,.]?$)', 'gm');
const wellKnownNames = new RegExp('\\b(\\s*)(\\s*(' + wellKnown.join('|') + '))+\\b', 'gim');

function replayNames(text: string, replaceWith: string, tracker: Tracker): string {
  greetingOrClosing.lastIndex = 0;
  genericName.lastIndex = 0;
  let greeting = greetingOrClosing.exec(text);
  while (greeting !== null) {
    genericName.lastIndex = greetingOrClosing.lastIndex;
    const name = genericName.exec(text);
    if (name !== null && name.index === greetingOrClosing.lastIndex) {
      // As the library does it (an unmatched group 5 would append "undefined").
      const suffix = name[5] === null ? '' : String(name[5]);
      const end = name.index + name[0].length;
      const kept = name[5] ?? '';
      tracker.apply([
        suffix === kept
          ? { s: name.index, e: end - kept.length, replacement: replaceWith }
          : { s: name.index, e: end, replacement: replaceWith + suffix },
      ]);
      text = text.slice(0, name.index) + replaceWith + suffix + text.slice(end);
    }
    greeting = greetingOrClosing.exec(text);
  }
  const matches: { s: number; e: number; replacement: string }[] = [];
  const out = text.replace(wellKnownNames, (...args: unknown[]) => {
    const whole = args[0] as string;
    const lead = args[1] as string;
    const offset = args[args.length - 2] as number;
    matches.push({ s: offset + lead.length, e: offset + whole.length, replacement: replaceWith });
    return lead + replaceWith;
  });
  tracker.apply(matches);
  return out;
}

export interface RedactPii {
  redact(text: string): string;
  spans(text: string): { output: string; spans: Span[] };
}

export function loadRedactPii(): RedactPii {
  const { SyncRedactor } = require('redact-pii') as { SyncRedactor: new () => { redact(t: string): string } };
  const { composeChildRedactors } = require('redact-pii/lib/composition') as {
    composeChildRedactors(opts: object): ChildRedactor[];
  };
  const { NameRedactor } = require('redact-pii/lib/built-ins/NameRedactor') as {
    NameRedactor: { prototype: object };
  };
  const real = new SyncRedactor();
  const children = composeChildRedactors({});
  return {
    redact: (text) => real.redact(text),
    spans(text) {
      const tracker = new Tracker(text.length);
      let current = text;
      for (const child of children) {
        if (Object.getPrototypeOf(child) === NameRedactor.prototype) {
          current = replayNames(
            current,
            (child as { replaceWith?: string }).replaceWith ?? 'PERSON_NAME',
            tracker,
          );
          continue;
        }
        if (!child.regexpMatcher || child.replaceWith === undefined)
          throw new Error('redact-pii has a redactor this replay does not know');
        const replaceWith = child.replaceWith;
        const matches: { s: number; e: number; replacement: string }[] = [];
        current = current.replace(child.regexpMatcher, (...args: unknown[]) => {
          const whole = args[0] as string;
          const offset = args[args.length - 2] as number;
          matches.push({ s: offset, e: offset + whole.length, replacement: replaceWith });
          return replaceWith;
        });
        tracker.apply(matches);
      }
      return { output: current, spans: tracker.spans() };
    },
  };
}
