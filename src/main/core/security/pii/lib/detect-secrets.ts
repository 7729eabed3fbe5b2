import { isHangulSyllable, isWordChar } from './chars';
import type { Detector, ScanContext } from './scan-context';

// Credentials: AWS access key ids, GitHub and Slack tokens, JWTs, private key blocks, and the
// value of assignments such as `api_key = "…"`, `"password": "…"`, `비밀번호: …` or `Bearer …`.
// For assignments only the value is reported, so a masked text still says which key it was.

const TOKENS = /AKIA|ASIA|gh[pousr]_|github_pat_|xox[abprs]-|eyJ|-----BEGIN /g;

const AWS = /(?:AKIA|ASIA)[A-Z0-9]{16}/y;
const GITHUB = /gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255}/y;
const SLACK = /xox[abprs]-[A-Za-z0-9-]{10,250}/y;
const KEY_HEADER = /-----BEGIN (?:[A-Z0-9]+ ){0,4}PRIVATE KEY-----/y;

// Key names that hold secrets, and those that only talk about one (token_type, password_file).
const SECRET_KEY = /api[_-]?key|secret|token|passw(?:or)?d|pwd|access[_-]?key|credential|비밀번호|패스워드/;
const NOT_SECRET_KEY =
  /(?:tokens|count|length|len|size|type|name|names|id|ids|url|uri|file|path|expires?|expiry|expires_in|expires_at|ttl|limit|max|min|policy|hint|label|prompt|field|header|endpoint)$/;

const PLACEHOLDER =
  /^(?:x+|\*+|\.+|-+|_+|null|none|nil|undefined|true|false|redacted|\[redacted\]|changeme|example|secret|password|token|string|required|optional|your[\w-]*)$/i;

export const secretsDetector: Detector = {
  name: 'secrets',
  types: ['SECRET'],
  run(ctx) {
    tokens(ctx);
    if (!ctx.timedOut) assignments(ctx);
  },
};

function tokens(ctx: ScanContext): void {
  const { text } = ctx;
  TOKENS.lastIndex = 0;
  // Where the last search for an END line failed: no later BEGIN can find one either.
  let noEndAfter = Infinity;
  let match: RegExpExecArray | null;
  while ((match = TOKENS.exec(text)) !== null) {
    if (ctx.expired()) return;
    const start = match.index;
    const head = match[0];
    if (head !== '-----BEGIN ' && isWordChar(text.charCodeAt(start - 1))) continue;
    if (head === 'AKIA' || head === 'ASIA') {
      emitSticky(ctx, AWS, start, 0.95);
    } else if (head[0] === 'g') {
      emitSticky(ctx, GITHUB, start, 0.95);
    } else if (head.startsWith('xox')) {
      emitSticky(ctx, SLACK, start, 0.9);
    } else if (head === 'eyJ') {
      // Three base64url parts joined by dots, walked by hand: a regex would rescan a long run
      // without dots once for every "eyJ" in it.
      const headerEnd = base64UrlEnd(text, start);
      TOKENS.lastIndex = headerEnd;
      if (text.charCodeAt(headerEnd) !== 46 || headerEnd - start < 7) continue;
      const payloadEnd = base64UrlEnd(text, headerEnd + 1);
      TOKENS.lastIndex = payloadEnd;
      if (text.charCodeAt(payloadEnd) !== 46 || payloadEnd - headerEnd < 5) continue;
      const end = base64UrlEnd(text, payloadEnd + 1);
      TOKENS.lastIndex = end;
      if (text.charCodeAt(end) !== 46 && jwtHeader(text.slice(start, headerEnd)))
        ctx.add('SECRET', start, end, 0.9);
    } else {
      KEY_HEADER.lastIndex = start;
      if (!KEY_HEADER.test(text)) continue;
      let end = KEY_HEADER.lastIndex;
      const endLine = end < noEndAfter ? text.indexOf('-----END ', end) : -1;
      if (endLine === -1) {
        noEndAfter = Math.min(noEndAfter, end);
        // No END line (cut off): the key runs to the end of its base64 lines.
        end = keyBodyEnd(text, end);
      } else {
        const close = text.indexOf('-----', endLine + 9);
        end = close === -1 ? endLine + 9 : close + 5;
      }
      ctx.add('SECRET', start, end, 0.99);
      TOKENS.lastIndex = end;
    }
  }
}

function base64UrlEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && (isWordChar(text.charCodeAt(i)) || text.charCodeAt(i) === 45)) i++;
  return i;
}

function isBase64Char(c: number): boolean {
  return isWordChar(c) || c === 43 || c === 47 || c === 61;
}

// The end of the lines of base64 that follow `from` (a key header); stops at a blank line or at
// the first line with anything else in it.
function keyBodyEnd(text: string, from: number): number {
  let end = from;
  let i = from;
  for (;;) {
    if (text.charCodeAt(i) === 13) i++;
    if (text.charCodeAt(i) !== 10) return end;
    i++;
    let j = i;
    while (j < text.length && isBase64Char(text.charCodeAt(j))) j++;
    const after = text.charCodeAt(j);
    if (j === i || (j < text.length && after !== 10 && after !== 13)) return end;
    end = j;
    i = j;
  }
}

function emitSticky(ctx: ScanContext, re: RegExp, start: number, score: number): void {
  re.lastIndex = start;
  if (!re.test(ctx.text)) return;
  const end = re.lastIndex;
  if (isWordChar(ctx.text.charCodeAt(end))) return;
  ctx.add('SECRET', start, end, score);
  TOKENS.lastIndex = end;
}

function jwtHeader(part: string): boolean {
  try {
    const header: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && ('alg' in header || 'typ' in header);
  } catch {
    return false;
  }
}

// Assignments are found from their operator (":" or "="), which is far rarer than letters, and
// the key name before it decides whether the value is a secret.
function assignments(ctx: ScanContext): void {
  const { text } = ctx;
  for (const operator of [':', '=']) {
    let p = text.indexOf(operator);
    while (p !== -1) {
      if (ctx.expired()) return;
      const next = assignment(ctx, p);
      p = text.indexOf(operator, Math.max(next, p + 1));
    }
  }
  let p = text.indexOf('earer');
  while (p !== -1) {
    if (ctx.expired()) return;
    const b = text.charCodeAt(p - 1);
    let next = p + 5;
    if ((b === 66 || b === 98) && !isWordChar(text.charCodeAt(p - 2))) {
      let start = p + 5;
      while (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9) start++;
      if (start > p + 5) next = value(ctx, start, 0.8);
    }
    p = text.indexOf('earer', next);
  }
}

// The operator at p: returns where the search may go on.
function assignment(ctx: ScanContext, p: number): number {
  const { text } = ctx;
  const c = text.charCodeAt(p);
  const after = text.charCodeAt(p + 1);
  let opStart = p;
  let valueStart = p + 1;
  if (c === 61 /* = */) {
    const before = text.charCodeAt(p - 1);
    // ==, !=, <=, >= compare; := and => assign.
    if (after === 61 || before === 61 || before === 33 || before === 60 || before === 62) return p + 2;
    if (before === 58) opStart = p - 1;
    if (after === 62) valueStart = p + 2;
  } else if (after === 61 || after === 58 || text.charCodeAt(p - 1) === 58) {
    return p + 2; // := is handled from its "=", :: is not an assignment
  }
  // Back over spaces and a closing quote to the key name.
  let k = opStart;
  while (k > 0 && opStart - k < 8 && (text.charCodeAt(k - 1) === 32 || text.charCodeAt(k - 1) === 9)) k--;
  const q = text.charCodeAt(k - 1);
  if (q === 34 || q === 39 || q === 96) k--;
  const keyEnd = k;
  while (k > 0 && keyEnd - k < 64 && isKeyChar(text.charCodeAt(k - 1))) k--;
  if (k === keyEnd || keyEnd - k >= 64) return valueStart;
  const key = text.slice(k, keyEnd).toLowerCase();
  if (!SECRET_KEY.test(key) || NOT_SECRET_KEY.test(key)) return valueStart;
  while (text.charCodeAt(valueStart) === 32 || text.charCodeAt(valueStart) === 9) valueStart++;
  return value(ctx, valueStart, 0.75);
}

function isKeyChar(c: number): boolean {
  return isWordChar(c) || c === 45 || c === 46 || isHangulSyllable(c);
}

// The value starting at `at`, quoted or bare; reported when it looks like a secret.
function value(ctx: ScanContext, at: number, score: number): number {
  const { text } = ctx;
  const quote = text.charCodeAt(at);
  const quoted = quote === 34 || quote === 39 || quote === 96;
  const start = quoted ? at + 1 : at;
  let end = start;
  if (quoted) {
    while (
      end < text.length &&
      end - start <= 512 &&
      text.charCodeAt(end) !== quote &&
      text.charCodeAt(end) !== 10
    )
      end++;
    if (text.charCodeAt(end) !== quote) return start;
  } else {
    while (end < text.length && end - start <= 512 && !stopsValue(text.charCodeAt(end))) end++;
    // A call, an index or a member is code that reads the secret, not the secret.
    const next = text.charCodeAt(end);
    if (next === 40 || next === 91) return end;
  }
  if (!valueLooksSecret(text.slice(start, end), quoted)) return end;
  ctx.add('SECRET', start, end, score);
  return end;
}

// Whitespace and the punctuation that ends a value in code, JSON, URLs and prose.
function stopsValue(c: number): boolean {
  return (
    c <= 32 ||
    c === 34 ||
    c === 39 ||
    c === 96 ||
    c === 44 ||
    c === 59 ||
    c === 38 ||
    c === 40 ||
    c === 41 ||
    c === 60 ||
    c === 62 ||
    c === 91 ||
    c === 93 ||
    c === 123 ||
    c === 125
  );
}

function valueLooksSecret(value: string, quoted: boolean): boolean {
  if (value.length < (quoted ? 4 : 6) || value.length > 512) return false;
  if (PLACEHOLDER.test(value)) return false;
  const first = value.charCodeAt(0);
  // Template and environment references name a secret without holding it.
  if (first === 36 || first === 37 || value.startsWith('{{') || value.includes('process.env')) return false;
  if (quoted) return true;
  // config.password, os.environ: a dotted name in code.
  if (/^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+$/.test(value)) return false;
  // Unquoted prose ("token: required") is letters only; real values have digits or symbols.
  return /[^A-Za-z가-힣]/.test(value) || value.length >= 16;
}
