import { z } from 'zod';

// The audit log's records as they sit in `<dataDir>/audit/*.jsonl`: the original guide's fields,
// then ours. A record never holds the value of detected PII, only which entity types were seen
// and how often (`pii_types`), so the log itself is safe to keep and to export.

export const AUDIT_OUTCOMES = ['ok', 'error', 'rejected', 'denied'] as const;
export const auditOutcomeSchema = z.enum(AUDIT_OUTCOMES);
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>;

// prev_hash of the very first record: the chain starts from nothing.
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

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
});
export type AuditChainStatus = z.infer<typeof auditChainStatusSchema>;
