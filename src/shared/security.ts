import { z } from 'zod';
import { piiFindingSchema } from './pii';

// What happens to a value that holds PII. `mask` keeps the text's length (asterisks, or a typed
// placeholder); `redact` drops the finding for a fixed marker; `encrypt` replaces the whole value
// with a Fernet token; `reject` refuses the call, naming types but never values.
export const PII_ACTIONS = ['allow', 'mask', 'redact', 'encrypt', 'reject'] as const;
export const piiActionSchema = z.enum(PII_ACTIONS);
export type PiiAction = z.infer<typeof piiActionSchema>;

// When findings of several types disagree, the strictest action wins.
export const ACTION_STRENGTH: Record<PiiAction, number> = {
  allow: 0,
  mask: 1,
  redact: 2,
  encrypt: 3,
  reject: 4,
};

export const piiPolicySchema = z
  .object({
    action: piiActionSchema,
    // Per entity type (canonical names or custom pattern types), beating `action`.
    entities: z.record(z.string().min(1), piiActionSchema).default({}),
    maskStyle: z.enum(['asterisks', 'placeholder']).default('asterisks'),
  })
  .strict();
export type PiiPolicy = z.infer<typeof piiPolicySchema>;
export type PiiPolicyInput = z.input<typeof piiPolicySchema>;

const scopedPolicySchema = z
  .object({
    policy: piiPolicySchema.optional(),
    tools: z.record(z.string().min(1), piiPolicySchema).default({}),
  })
  .strict();

// security.json in the data directory: policies per server, per tool and per entity type.
export const securityConfigSchema = z
  .object({
    version: z.literal(1).default(1),
    // URLs run through nearly every MCP tool's output; masking them by default would break more
    // than it protects. Every other entity type is masked unless configured otherwise.
    default: piiPolicySchema.default({ action: 'mask', entities: { URL: 'allow' }, maskStyle: 'asterisks' }),
    servers: z.record(z.string().min(1), scopedPolicySchema).default({}),
    // Findings under this score are ignored.
    threshold: z.number().min(0).max(1).default(0.5),
    // Upper bound for one scan; on timeout a value under a `reject` policy is refused.
    scanTimeBudgetMs: z.number().int().min(1).max(10_000).default(250),
    // A pii_patterns.json with the user's own patterns, checked for catastrophic backtracking.
    patternsFile: z.string().min(1).optional(),
    // A 0600 file of Fernet keys (newest first), as the guide keeps its key; default: the secret store.
    fernetKeyFile: z.string().min(1).optional(),
  })
  .strict();
export type SecurityConfig = z.infer<typeof securityConfigSchema>;
export type SecurityConfigInput = z.input<typeof securityConfigSchema>;

// How one value fared under a policy: counts per type, never the values themselves.
export const policyOutcomeSchema = z.object({
  action: z.enum(['allowed', 'masked', 'redacted', 'encrypted', 'rejected']),
  piiTypes: z.record(z.string(), z.number().int().min(0)),
  // The value as it would travel on (absent when rejected).
  text: z.string().optional(),
  // The refusal as the caller would read it (only when rejected).
  message: z.string().optional(),
  timedOut: z.boolean().optional(),
});
export type PolicyOutcome = z.infer<typeof policyOutcomeSchema>;

export const piiScanViewSchema = z.object({
  findings: z.array(piiFindingSchema),
  timedOut: z.boolean(),
  elapsedMs: z.number(),
  outcomes: z.record(piiActionSchema, policyOutcomeSchema),
});
export type PiiScanView = z.infer<typeof piiScanViewSchema>;

// The user's pattern file as text, for editing in the PII Tester.
export const patternsViewSchema = z.object({
  file: z.string(),
  text: z.string(),
  count: z.number().int().min(0),
});
export type PatternsView = z.infer<typeof patternsViewSchema>;

export const patternCheckSchema = z.object({ safe: z.boolean(), reason: z.string().optional() });
export type PatternCheck = z.infer<typeof patternCheckSchema>;

export const fernetKeysViewSchema = z.object({ count: z.number().int().min(1), where: z.string() });
export type FernetKeysView = z.infer<typeof fernetKeysViewSchema>;
