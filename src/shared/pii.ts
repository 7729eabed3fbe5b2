import { z } from 'zod';

// What the PII scanner reports, shared by core, the CLI and the renderer. Entity names follow
// Presidio's (DESIGN.md §4) so findings mean the same thing here as in tools people already know.

export const PII_ENTITIES = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'KR_RRN',
  'KR_FRN',
  'KR_BRN',
  'KR_PASSPORT',
  'KR_DRIVER_LICENSE',
  'KR_BANK_ACCOUNT',
  // Korean names next to an honorific (홍길동님, 김철수 씨) or after a label (이름: 홍길동); the
  // span covers the name only, so masking keeps the honorific.
  'PERSON',
  'CREDIT_CARD',
  'IBAN_CODE',
  'IP_ADDRESS',
  'URL',
  'MAC_ADDRESS',
  'CRYPTO',
  'US_SSN',
  // AWS key ids, GitHub and Slack tokens, JWTs, private key blocks, and the value of
  // `api_key=`/`password:`-style assignments (the value only, not the key name).
  'SECRET',
] as const;

export const piiEntitySchema = z.enum(PII_ENTITIES);
export type PiiEntity = z.infer<typeof piiEntitySchema>;

export function isPiiEntity(value: string): value is PiiEntity {
  return (PII_ENTITIES as readonly string[]).includes(value);
}

// Findings above this score count as PII unless a caller chooses another threshold.
export const DEFAULT_PII_THRESHOLD = 0.5;

// `type` is a string, not PiiEntity: custom patterns name their own types.
export const piiFindingSchema = z.object({
  type: z.string().min(1),
  // UTF-16 offsets into the scanned string, [start, end).
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  score: z.number().min(0).max(1),
});
export type PiiFinding = z.infer<typeof piiFindingSchema>;

// The original guide's pattern names, accepted in pattern files as the canonical types.
export const PII_PATTERN_ALIASES: Readonly<Record<string, PiiEntity>> = {
  email: 'EMAIL_ADDRESS',
  phone: 'PHONE_NUMBER',
  korean_name: 'PERSON',
  ssn: 'KR_RRN',
};

export const piiPatternNameSchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/,
    'a pattern name starts with a letter and has at most 64 letters, digits, _ . or -',
  );

// One custom pattern. `pattern` is written as in the guide's pii_patterns.json (Python `re`
// syntax, the part JavaScript shares; \b is Unicode-aware as in Python). `context` words near a
// match raise its score.
export const piiPatternEntrySchema = z.object({
  pattern: z.string().min(1, 'pattern is empty').max(2000, 'pattern is longer than 2000 characters'),
  description: z.string().optional(),
  score: z.number().min(0).max(1).optional(),
  flags: z
    .string()
    .regex(/^[imsu]*$/, 'flags may only contain i, m, s and u')
    .optional(),
  context: z.array(z.string().min(1).max(64)).max(100).optional(),
});
export type PiiPatternEntry = z.infer<typeof piiPatternEntrySchema>;

// The guide itself writes bare strings (`"email": "regex"`); both forms are accepted.
export const piiPatternMapSchema = z.record(
  piiPatternNameSchema,
  z.union([z.string().min(1, 'pattern is empty').max(2000), piiPatternEntrySchema]),
);

// `{"patterns": {name: entry}}` as the guide's file has it, or the bare map. The bare map is
// tried first so that a pattern named "patterns" still parses as a pattern.
export const piiPatternFileSchema = z.union([
  piiPatternMapSchema,
  z.object({ patterns: piiPatternMapSchema }),
]);
export type PiiPatternFile = z.infer<typeof piiPatternFileSchema>;
