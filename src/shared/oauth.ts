import { z } from 'zod';

// An authorization request waiting for the person at the panel to Allow or Deny it.
export const consentRequestSchema = z.object({
  uid: z.string(),
  clientId: z.string(),
  clientName: z.string().optional(),
  redirectUri: z.string(),
  scopes: z.array(z.string()),
  resources: z.array(z.string()),
  requestedAt: z.iso.datetime(),
});
export type ConsentRequestView = z.infer<typeof consentRequestSchema>;

export const consentDecisionSchema = z.enum(['allow', 'deny']);
