import { hash as oneShotHash } from 'node:crypto';
import type { AuditEvent } from '../../../../../shared/audit';

// A record is the JSON text `s` of the event without its hash (fields in one fixed order,
// prev_hash last), and the line is `s` with `,"hash":"<sha256hex(s)>"` put before its final `}`.
// The hash covers the exact bytes on disk, so checking a line never re-serializes anything: no
// canonical JSON, no key-order or number-format traps, and it is fast.

export type AuditFields = Omit<AuditEvent, 'seq' | 'prev_hash' | 'hash'>;

const HASH_FIELD = Buffer.from(',"hash":"');
const PREV_FIELD = Buffer.from(',"prev_hash":"');
const SEQ_FIELD = Buffer.from('{"seq":');
const LINE_END = Buffer.from('"}');
// `,"hash":"` + 64 hex + `"}`
const HASH_TAIL = HASH_FIELD.length + 64 + LINE_END.length;
// `,"prev_hash":"` + 64 hex + `"`, right before the hash tail
const PREV_TAIL = PREV_FIELD.length + 64 + 1;
const MIN_LINE = SEQ_FIELD.length + 2 + PREV_TAIL + HASH_TAIL;
const HEX64 = /^[0-9a-f]{64}$/;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;

export function sha256Hex(data: string | Uint8Array): string {
  // crypto.hash is the one-shot form: about twice as fast as createHash for lines this small.
  return oneShotHash('sha256', data, 'hex');
}

export interface SerializedRecord {
  event: AuditEvent;
  line: string;
}

export function serializeRecord(seq: number, fields: AuditFields, prevHash: string): SerializedRecord {
  const j = JSON.stringify;
  let s =
    `{"seq":${seq},"timestamp":${j(fields.timestamp)},"event_type":${j(fields.event_type)}` +
    `,"tool_name":${j(fields.tool_name)},"user_id":${j(fields.user_id)},"client_id":${j(fields.client_id)}` +
    `,"contains_pii":${fields.contains_pii},"action_taken":${j(fields.action_taken)}` +
    `,"parameter_count":${fields.parameter_count}`;
  if (fields.pii_types !== undefined) s += `,"pii_types":${j(fields.pii_types)}`;
  if (fields.server !== undefined) s += `,"server":${j(fields.server)}`;
  if (fields.outcome !== undefined) s += `,"outcome":${j(fields.outcome)}`;
  if (fields.detail !== undefined) s += `,"detail":${j(fields.detail)}`;
  if (fields.duration_ms !== undefined) s += `,"duration_ms":${j(fields.duration_ms)}`;
  if (fields.call_id !== undefined) s += `,"call_id":${j(fields.call_id)}`;
  s += `,"prev_hash":"${prevHash}"}`;
  const hash = sha256Hex(s);
  return {
    event: { seq, ...fields, prev_hash: prevHash, hash },
    line: `${s.slice(0, -1)},"hash":"${hash}"}\n`,
  };
}

export type FrameCheck =
  { ok: true; seq: number; prevHash: string; hash: string } | { ok: false; reason: string; seq?: number };

const NOT_A_RECORD = 'not an audit record: its shape is not what MCP Dock writes';

function bytesAt(buf: Buffer, at: number, literal: Buffer): boolean {
  return at >= 0 && buf.compare(literal, 0, literal.length, at, at + literal.length) === 0;
}

function readSeq(buf: Buffer, start: number, end: number): number | undefined {
  let at = start + SEQ_FIELD.length;
  if (buf[at] === 0x30) return undefined; // no leading zeros, and seq starts at 1
  let value = 0;
  const first = at;
  while (at < end && at - first < 16) {
    const c = buf[at]!;
    if (c === COMMA) return at > first && Number.isSafeInteger(value) ? value : undefined;
    if (c < 0x30 || c > 0x39) return undefined;
    value = value * 10 + (c - 0x30);
    at += 1;
  }
  return undefined;
}

// Checks one line (without its newline) in place: shape, then its own hash. The chain links
// (seq order, prev_hash) are the caller's, who knows the record before.
export function checkFrame(buf: Buffer, start: number, end: number): FrameCheck {
  if (end - start < MIN_LINE || !bytesAt(buf, start, SEQ_FIELD)) return { ok: false, reason: NOT_A_RECORD };
  const hashField = end - HASH_TAIL;
  const prevField = hashField - PREV_TAIL;
  if (
    !bytesAt(buf, hashField, HASH_FIELD) ||
    !bytesAt(buf, end - LINE_END.length, LINE_END) ||
    !bytesAt(buf, prevField, PREV_FIELD) ||
    buf[hashField - 1] !== 0x22
  )
    return { ok: false, reason: NOT_A_RECORD };
  const seq = readSeq(buf, start, prevField);
  const hash = buf.toString('latin1', hashField + HASH_FIELD.length, end - LINE_END.length);
  const prevHash = buf.toString('latin1', prevField + PREV_FIELD.length, hashField - 1);
  if (seq === undefined || !HEX64.test(hash) || !HEX64.test(prevHash))
    return { ok: false, reason: NOT_A_RECORD, ...(seq !== undefined ? { seq } : {}) };
  // `s` is the line up to the hash field with a `}` where the field's comma was: patch the byte,
  // hash, put it back. Cheaper than copying a million lines.
  buf[hashField] = CLOSE_BRACE;
  const actual = sha256Hex(buf.subarray(start, hashField + 1));
  buf[hashField] = COMMA;
  if (actual !== hash)
    return { ok: false, reason: 'its hash does not match its content: the record was altered', seq };
  return { ok: true, seq, prevHash, hash };
}
