import { z } from 'zod';

export const oauthClientSchema = z.object({
  client_id: z.string(),
  client_name: z.string().optional(),
  kind: z.enum(['confidential', 'public']),
  grant_types: z.array(z.string()),
  scope: z.string(),
  redirect_uris: z.array(z.string()),
  created_at: z.number().optional(),
  // It registered itself (dynamic registration); clients made in the app or the CLI did not.
  self_registered: z.boolean().optional(),
  // A self-registered client never granted anything lapses then (seconds since the epoch).
  expires_at: z.number().optional(),
});
export type OAuthClientView = z.infer<typeof oauthClientSchema>;

export const issuedTokenSchema = z.object({
  jti: z.string(),
  clientId: z.string(),
  subject: z.string().optional(),
  scope: z.string(),
  audience: z.string(),
  expiresAt: z.number(),
});
export type IssuedTokenView = z.infer<typeof issuedTokenSchema>;

export const grantSchema = z.object({
  grantId: z.string(),
  clientId: z.string(),
  accountId: z.string(),
  expiresAt: z.number().optional(),
});
export type GrantView = z.infer<typeof grantSchema>;

export const tokenInspectionSchema = z.object({
  header: z.record(z.string(), z.unknown()),
  claims: z.record(z.string(), z.unknown()),
  // Seconds since the epoch, when the token says.
  expiresAt: z.number().optional(),
  valid: z.boolean(),
  // Why MCP Dock would refuse it, when it would.
  reason: z.string().optional(),
});
export type TokenInspection = z.infer<typeof tokenInspectionSchema>;

export const signingKeySchema = z.object({
  kid: z.string(),
  createdAt: z.number(),
  retireAt: z.number().optional(),
  current: z.boolean(),
});
export type SigningKeyView = z.infer<typeof signingKeySchema>;
