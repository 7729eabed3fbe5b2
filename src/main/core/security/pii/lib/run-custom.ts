import { CustomPatternError } from '../pii-errors';
import type { CustomPattern } from '../types';
import { CONTEXT_BOOST, hasContextWords } from './context-words';
import type { ScanContext } from './scan-context';

// Custom patterns run over the text in chunks, so one exec() never sees more than a chunk: a
// pattern that passed the ReDoS check can still be quadratic when searched (see
// checkPatternSafety), and a chunk bounds that cost between two looks at the clock. Each slice
// starts a little before its chunk, so lookbehinds and \b see their context, and reaches a little
// past it, so matches that cross the boundary are whole; a match that reaches the slice's end is
// re-run on a longer slice to find its true end.

const CHUNK = 4096;
const BEFORE = 64;
const AFTER = 512;
const LONGEST_MATCH = 16 * 1024;

export interface CompiledPattern {
  readonly type: string;
  readonly score: number;
  readonly context: readonly string[];
  readonly search: RegExp;
  readonly sticky: RegExp;
}

export function compilePattern(pattern: CustomPattern): CompiledPattern {
  if (typeof pattern.type !== 'string' || pattern.type === '')
    throw new CustomPatternError('a custom pattern needs a type (the name its findings carry)');
  if (!(pattern.regex instanceof RegExp))
    throw new CustomPatternError(`custom pattern "${pattern.type}" needs a RegExp`);
  if (typeof pattern.score !== 'number' || !(pattern.score >= 0 && pattern.score <= 1))
    throw new CustomPatternError(
      `custom pattern "${pattern.type}" has score ${String(pattern.score)}; scores are 0..1`,
    );
  const flags = pattern.regex.flags.replace(/[gyd]/g, '');
  return {
    type: pattern.type,
    score: pattern.score,
    context: pattern.context,
    search: new RegExp(pattern.regex.source, `${flags}g`),
    sticky: new RegExp(pattern.regex.source, `${flags}y`),
  };
}

export function runCustom(ctx: ScanContext, pattern: CompiledPattern): void {
  const { text } = ctx;
  const { search, sticky } = pattern;
  let lastEnd = 0;
  for (let chunk = 0; chunk < text.length; chunk += CHUNK) {
    if (ctx.checkClock()) return;
    const sliceStart = chunk > BEFORE ? chunk - BEFORE : 0;
    const sliceEnd = Math.min(text.length, chunk + CHUNK + AFTER);
    const slice = text.slice(sliceStart, sliceEnd);
    search.lastIndex = Math.max(chunk, lastEnd) - sliceStart;
    let match: RegExpExecArray | null;
    while ((match = search.exec(slice)) !== null) {
      const start = sliceStart + match.index;
      if (start >= chunk + CHUNK) break;
      if (match[0].length === 0) {
        search.lastIndex++;
        continue;
      }
      let end = start + match[0].length;
      if (end === sliceEnd && sliceEnd < text.length) {
        const longer = text.slice(sliceStart, Math.min(text.length, start + LONGEST_MATCH));
        sticky.lastIndex = start - sliceStart;
        const whole = sticky.exec(longer);
        if (whole === null || whole[0].length === 0) continue;
        end = start + whole[0].length;
        search.lastIndex = end - sliceStart;
      }
      lastEnd = end;
      const boost = hasContextWords(text, start, end, pattern.context) ? CONTEXT_BOOST : 0;
      ctx.add(pattern.type, start, end, pattern.score + boost);
      if (ctx.expired()) return;
    }
  }
}
