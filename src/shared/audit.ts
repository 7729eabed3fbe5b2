import { z } from 'zod';

// The audit log's records as they sit in `<dataDir>/audit/*.jsonl`: the original guide's fields,
// then ours. A record never holds the value of detected PII, only which entity types were seen
// and how often (`pii_types`), so the log itself is safe to keep and to export.

export const AUDIT_OUTCOMES = ['ok', 'error', 'rejected', 'denied'] as const;
export const auditOutcomeSchema = z.enum(AUDIT_OUTCOMES);
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>;

// prev_hash of the very first record: the chain starts from nothing.
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

// A call that is forwarded is logged twice: its attempt before it runs (so a call that cannot be
// audited never runs) and its outcome after, both under one `call_id`. The outcome keeps the
// call's own event type (`tool_call`, ...), so counting by type still counts each call once; the
// attempt's type is that name plus this suffix.
export const AUDIT_ATTEMPT_SUFFIX = '_attempt';
export const attemptEventType = (eventType: string): string => `${eventType}${AUDIT_ATTEMPT_SUFFIX}`;
export const isAttemptEvent = (event: { event_type: string }): boolean =>
  event.event_type.endsWith(AUDIT_ATTEMPT_SUFFIX);

export const AUDIT_LIMITS = {
  label: 256,
  detail: 500,
  piiTypes: 64,
  queryLimit: 100_000,
  defaultQueryLimit: 1000,
} as const;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in lowercase hex');
// Types and actions are ours (filters and CSV columns key on them), so they stay plain tokens.
const token = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected 1-64 letters, digits or _.:-');
// Entity names are Presidio's (EMAIL_ADDRESS, ...) or the guide's aliases; no ':' or ';', which the
// CSV export uses to list them.
// Custom pattern names may also hold '.' and '-' (see piiPatternNameSchema).
const piiTypeName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected an entity name such as EMAIL_ADDRESS');
const piiTypes = z
  .record(piiTypeName, z.number().int().min(0).max(Number.MAX_SAFE_INTEGER))
  .refine((value) => Object.keys(value).length <= AUDIT_LIMITS.piiTypes, {
    message: `at most ${AUDIT_LIMITS.piiTypes} entity types`,
  });
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
// Ours (a UUID), never a client's: it only links a call's attempt and outcome records.
const callId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1-64 letters, digits, _ or -');
const duration = z.number().min(0).max(Number.MAX_SAFE_INTEGER);

// Names and ids can come from remote clients. An over-long one is cut rather than refused: a
// client must not be able to keep its call out of the log by sending a silly tool name.
const clipped = (max: number) =>
  z.string().transform((value) => (value.length > max ? `${value.slice(0, max - 1)}…` : value));

export const auditEventInputSchema = z
  .object({
    // Filled from the log's clock when absent; stored in UTC (`...Z`) so time ranges compare simply.
    timestamp: z.iso
      .datetime({ offset: true })
      .transform((value) => new Date(value).toISOString())
      .optional(),
    event_type: token,
    tool_name: clipped(AUDIT_LIMITS.label),
    user_id: clipped(AUDIT_LIMITS.label),
    client_id: clipped(AUDIT_LIMITS.label),
    contains_pii: z.boolean(),
    action_taken: token,
    parameter_count: count,
    pii_types: piiTypes.optional(),
    server: clipped(AUDIT_LIMITS.label).optional(),
    outcome: auditOutcomeSchema.optional(),
    // Short and free of PII: the caller guarantees the latter, the schema only the former.
    detail: clipped(AUDIT_LIMITS.detail).optional(),
    duration_ms: duration.optional(),
    call_id: callId.optional(),
  })
  // Unknown keys are refused, so no caller can slip raw parameters (and their PII) into the log.
  .strict();
export type AuditEventInput = z.input<typeof auditEventInputSchema>;

// What a line of the log holds. Unknown keys are dropped rather than refused, so a log written by a
// newer MCP Dock still reads; the hash covers them either way.
export const auditEventSchema = z.object({
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  timestamp: z.iso.datetime(),
  event_type: token,
  tool_name: z.string().max(AUDIT_LIMITS.label),
  user_id: z.string().max(AUDIT_LIMITS.label),
  client_id: z.string().max(AUDIT_LIMITS.label),
  contains_pii: z.boolean(),
  action_taken: token,
  parameter_count: count,
  pii_types: piiTypes.optional(),
  server: z.string().max(AUDIT_LIMITS.label).optional(),
  outcome: auditOutcomeSchema.optional(),
  detail: z.string().max(AUDIT_LIMITS.detail).optional(),
  duration_ms: duration.optional(),
  call_id: callId.optional(),
  prev_hash: sha256Hex,
  hash: sha256Hex,
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditQuerySchema = z
  .object({
    // Inclusive `from`, exclusive `to`, so consecutive ranges neither overlap nor leave gaps.
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    event_type: z.string().min(1).max(64).optional(),
    tool_name: z.string().max(AUDIT_LIMITS.label).optional(),
    client_id: z.string().max(AUDIT_LIMITS.label).optional(),
    contains_pii: z.boolean().optional(),
    // Defaults (1000, newest first) are applied by the reader rather than here, so a parsed query
    // is the same type as the one a caller writes.
    limit: z.number().int().min(1).max(AUDIT_LIMITS.queryLimit).optional(),
    order: z.enum(['asc', 'desc']).optional(),
  })
  .strict();
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditExportFormatSchema = z.enum(['jsonl', 'csv']);
export type AuditExportFormat = z.infer<typeof auditExportFormatSchema>;

// What the seal (a keyed checkpoint of the newest record, kept beside the log in `audit.seal` and
// keyed with a secret from the data directory's secret store) says about the log's end:
// - sealed: the seal checks out and its record is in the log, unchanged
// - truncated: the seal names a record past the log's end (records cut off, a file deleted)
// - rechained: the record at the sealed seq is not the one sealed (edited, hashes recomputed)
// - missing: the data directory has a seal key but the log has no seal
// - invalid: the seal does not check out with the key (forged, edited, or another log's)
// - unverifiable: there is no key to check it with here (an audit folder on its own, a keychain)
// - unsealed: neither a seal nor a key: written before sealing existed, or not by MCP Dock
// - unchecked: the chain breaks before the sealed record, so it could not be compared
export const AUDIT_SEAL_STATES = [
  'sealed',
  'truncated',
  'rechained',
  'missing',
  'invalid',
  'unverifiable',
  'unsealed',
  'unchecked',
] as const;
export const auditSealStateSchema = z.enum(AUDIT_SEAL_STATES);
export type AuditSealState = z.infer<typeof auditSealStateSchema>;

export const auditSealStatusSchema = z.object({
  state: auditSealStateSchema,
  // The sealed record, as the seal names it (checked or not).
  seq: z.number().int().min(0).optional(),
  hash: sha256Hex.optional(),
  // Records after the sealed one: written since (a writer in mid-batch, or one that stopped
  // between writing and sealing). They chain on, but the seal does not cover them yet.
  after: z.number().int().min(0).optional(),
  reason: z.string(),
});
export type AuditSealStatus = z.infer<typeof auditSealStatusSchema>;

export const auditChainStatusSchema = z.object({
  ok: z.boolean(),
  // Records that checked out before the first problem (all of them when ok).
  records: z.number().int().min(0),
  files: z.number().int().min(0),
  // Hash of the last record that checked out; the genesis hash for an empty log.
  head: sha256Hex,
  firstProblem: z
    .object({
      file: z.string(),
      line: z.number().int().min(1),
      seq: z.number().int().min(1).optional(),
      reason: z.string(),
    })
    .optional(),
  // ok needs the chain intact AND the seal checked out ('sealed'). Optional only so statuses from
  // before sealing still parse.
  seal: auditSealStatusSchema.optional(),
});
export type AuditChainStatus = z.infer<typeof auditChainStatusSchema>;
