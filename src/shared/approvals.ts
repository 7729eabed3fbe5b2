import { z } from 'zod';
import { serverNameSchema } from './servers';

// What happens to a call of a tool: run it, hold it for a person, or refuse it.
export const callPolicySchema = z.enum(['allow', 'ask', 'deny']);
export type CallPolicy = z.infer<typeof callPolicySchema>;

// Where a tool's policy came from: set for the tool, set for the profile it was called through, set for its server, taken from the tool's
// annotations (destructiveHint without readOnlyHint), or the default (allow).
export const callPolicySourceSchema = z.enum(['tool', 'profile', 'server', 'annotations', 'default']);
export type CallPolicySource = z.infer<typeof callPolicySourceSchema>;

// A call held for a person, as `mcp-dock approvals list --json` prints it and the panel shows it.
// The arguments are masked: the person sees their shape and the PII types, never the values.
export const pendingApprovalSchema = z
  .object({
    id: z.string(),
    server: z.string(),
    tool: z.string(),
    client_id: z.string(),
    client_name: z.string().optional(),
    user_id: z.string(),
    arguments: z.unknown(),
    requested_at: z.iso.datetime(),
    expires_at: z.iso.datetime(),
    // Whether the calling client is asked too (its elicitation), when the user enabled that.
    asked_in_client: z.boolean(),
  })
  .strict();
export type PendingApproval = z.infer<typeof pendingApprovalSchema>;

export const approvalDecisionSchema = z.enum(['allow', 'deny']);

export const decideApprovalInputSchema = z
  .object({
    id: z.string().min(1).max(64),
    decision: approvalDecisionSchema,
    // Allow this tool for this client from now on (written to gateway.json).
    always: z.boolean().optional(),
  })
  .strict();
export type DecideApprovalInput = z.infer<typeof decideApprovalInputSchema>;

export const setToolPolicyInputSchema = z
  .object({
    server: serverNameSchema,
    // '*': the server's default for its tools.
    tool: z.string().min(1).max(256),
    // null: take the setting away (the tool falls back to its server's, then its annotations').
    policy: callPolicySchema.nullable(),
  })
  .strict();
