import { z } from 'zod';
import { serverNameSchema } from './servers';

// What MCP Dock pins of a server's tool: the parts a model reads or a client acts on. A change to
// any of them is a change the user approves before the gateway serves the tool again.
export const pinnedDefinitionSchema = z
  .object({
    name: z.string(),
    title: z.string().optional(),
    description: z.string().optional(),
    inputSchema: z.unknown().optional(),
    outputSchema: z.unknown().optional(),
    annotations: z.unknown().optional(),
  })
  .strict();
export type PinnedDefinition = z.infer<typeof pinnedDefinitionSchema>;

// Characters a person does not see but a model reads: zero-width and joiners, bidirectional
// controls (text that displays in another order than it is read), the soft hyphen, and the Unicode
// tag block, which can spell out a whole hidden sentence. Global: use with match and replace.
export const INVISIBLE_CHARACTERS =
  /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|[\u{E0000}-\u{E007F}]/gu;

export const codePointLabel = (c: string): string =>
  `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

// Signs of instructions hidden in a definition. A definition with any is never approved without a
// person.
export const PIN_FINDING_KINDS = [
  'invisible_unicode',
  'addressed_to_model',
  'reads_files',
  'sends_data',
  'unusual_length',
] as const;
export const pinFindingSchema = z
  .object({
    kind: z.enum(PIN_FINDING_KINDS),
    // Where in the definition: "description", "inputSchema.properties.path.description", ...
    field: z.string(),
    // What was seen, short, with invisible characters written out as U+XXXX.
    detail: z.string(),
  })
  .strict();
export type PinFinding = z.infer<typeof pinFindingSchema>;

// approved: the gateway serves the tool as pinned. changed: it differs from the approved pin.
// new: it has no approved pin (a tool added to an approved server, or flagged at first sight).
export const pinStatusSchema = z.enum(['approved', 'changed', 'new']);
export type PinStatus = z.infer<typeof pinStatusSchema>;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const pinApprovalSchema = z
  .object({
    hash: sha256,
    definition: pinnedDefinitionSchema,
    at: z.iso.datetime(),
    // first_sight: pinned as first seen, with no findings; panel or cli: a person approved it.
    by: z.enum(['first_sight', 'panel', 'cli']),
  })
  .strict();

export const pinSightingSchema = z
  .object({
    hash: sha256,
    definition: pinnedDefinitionSchema,
    at: z.iso.datetime(),
    findings: z.array(pinFindingSchema),
    // The user looked and chose to keep it withheld; a later, different definition asks again.
    kept: z.boolean().default(false),
  })
  .strict();

// One tool as the pins hold it, and as `mcp-dock tools pins --json` prints it.
export const toolPinSchema = z
  .object({
    server: z.string(),
    tool: z.string(),
    status: pinStatusSchema,
    // The definition the server offers now (the pending one when it is not approved).
    hash: sha256,
    findings: z.array(pinFindingSchema),
    approved: pinApprovalSchema.optional(),
    pending: pinSightingSchema.optional(),
  })
  .strict();
export type ToolPin = z.infer<typeof toolPinSchema>;

export const approveToolsInputSchema = z
  .object({
    server: serverNameSchema,
    // None: every tool of the server that waits for approval.
    tools: z.array(z.string().min(1).max(256)).max(1000).optional(),
  })
  .strict();

export const keepWithheldInputSchema = z
  .object({ server: serverNameSchema, tool: z.string().min(1).max(256) })
  .strict();
