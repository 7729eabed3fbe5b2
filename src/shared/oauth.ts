import { z } from 'zod';

// An authorization request waiting for the person at the panel to Allow or Deny it.
export const consentRequestSchema = z.object({
  uid: z.string(),
  clientId: z.string(),
  clientName: z.string().optional(),
  redirectUri: z.string(),
  // host[:port] of redirectUri: where the answer, and with it access, would go.
  redirectHost: z.string(),
  scopes: z.array(z.string()),
  resources: z.array(z.string()),
  // 'registered': it registered itself (anyone on this machine can); 'metadata-document': its id
  // is the URL of its metadata document.
  clientKind: z.enum(['registered', 'metadata-document']),
  registeredAt: z.iso.datetime().optional(),
  requestedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  // How many times the same request was made while it waited (they are answered together).
  repeats: z.number().int().positive(),
});
export type ConsentRequestView = z.infer<typeof consentRequestSchema>;

export const consentDecisionSchema = z.enum(['allow', 'deny']);
