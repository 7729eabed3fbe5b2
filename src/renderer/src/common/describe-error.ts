import { ERROR_CODES, type ErrorCode } from '../../../shared/errors';

// The one place that turns a failure into what the user reads. Core's messages are written for
// people already; the code is for the program (to pick a follow-up such as "Pull"), so it is never
// shown. What is removed: a code in front ("UNSAFE_PATTERN: …"), the MCP SDK's "MCP error -32602: "
// (it doubles them), and a second "Could not <action>" when the message already says so.

// Said when core sent no message at all.
const FALLBACK: Partial<Record<ErrorCode, string>> = {
  TRANSPORT_CLOSED: 'The connection to MCP Dock was lost. Is MCP Dock still running?',
  ENGINE_UNREACHABLE: 'The Docker engine is not reachable. Start it and try again.',
};
const DEFAULT_FALLBACK = 'MCP Dock hit an unexpected error.';

const CODE_PREFIX = new RegExp(`^(?:${ERROR_CODES.join('|')}): `);
const MCP_PREFIXES = /(?:MCP error -?\d+: )+/g;
// A message that already names its failure ("Could not pull img: …", "Cannot remove …").
const SAYS_WHAT_FAILED = /^(?:could not|cannot|can't|failed to|unable to)\b/i;

function codeOf(error: unknown): ErrorCode | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)
    ? (code as ErrorCode)
    : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  )
    return (error as { message: string }).message;
  return String(error ?? '');
}

// A capital at the start when it starts with a plain word ("the scan…", not "audit/x.jsonl" or
// "gateway.status"), and a full stop when it ends like prose (not after "(a+)+").
function asSentence(text: string): string {
  let s = text.trim();
  if (/^[a-z]+(?:\s|$)/.test(s)) s = s[0]!.toUpperCase() + s.slice(1);
  if (/[\p{L}\p{N})"'”’]$/u.test(s)) s += '.';
  return s;
}

export function describeError(error: unknown, action?: string): string {
  const code = codeOf(error);
  const bare = messageOf(error).replace(CODE_PREFIX, '').replace(MCP_PREFIXES, '').trim();
  if (!bare) return (code && FALLBACK[code]) ?? DEFAULT_FALLBACK;
  const sentence = asSentence(bare);
  if (!action || SAYS_WHAT_FAILED.test(sentence)) return sentence;
  return `Could not ${action}: ${sentence}`;
}
