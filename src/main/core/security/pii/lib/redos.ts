import { checkSync, type Diagnostics, type Parameters } from 'recheck';

// recheck decides ReDoS by automata theory rather than by the star-height rule of safe-regex2,
// which misses ambiguous alternations such as (a|a)*b. Its default backend is a native binary or
// a JVM; the pure JavaScript build runs in-process and needs neither. Results are cached: a
// pattern file is checked every time it is loaded, and one analysis can take a second.

const AUTOMATON_TIMEOUT_MS = 10_000;
const FUZZ_TIMEOUT_MS = 5_000;

// Bounded: a settings screen may check a pattern on every keystroke.
const CACHE_SIZE = 256;
const cache = new Map<string, Diagnostics>();

function pureCheck(source: string, flags: string, params: Parameters): Diagnostics {
  // checkSync reads the backend from the environment on every call; set it for this call only.
  const previous = process.env.RECHECK_SYNC_BACKEND;
  process.env.RECHECK_SYNC_BACKEND = 'pure';
  try {
    return checkSync(source, flags, params);
  } finally {
    if (previous === undefined) delete process.env.RECHECK_SYNC_BACKEND;
    else process.env.RECHECK_SYNC_BACKEND = previous;
  }
}

export function analyseRegex(source: string, flags: string): Diagnostics {
  const key = `${flags}/${source}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let result = pureCheck(source, flags, { checker: 'automaton', timeout: AUTOMATON_TIMEOUT_MS });
  // Back-references and some lookbehinds are outside what the automaton checker models; the
  // fuzzer (which runs the pattern against generated attack strings) covers them.
  if (result.status === 'unknown' && result.error.kind === 'unsupported') {
    result = pureCheck(source, flags, { checker: 'fuzz', timeout: FUZZ_TIMEOUT_MS });
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, result);
  return result;
}
