import { z } from 'zod';
import type { ClientAdmin } from '../oauth/client-admin';
import type { SecretStore } from '../secrets/secret-store';

const SLOT = 'gateway';
const NAME = 'stdio-client';
export const STDIO_CLIENT_ID = 'mcp-dock-gateway-stdio';
export const STDIO_SCOPE = 'mcp.access mcp:servers';

const credentialSchema = z.object({ client_id: z.string().min(1), client_secret: z.string().min(1) });
export type StdioCredential = z.infer<typeof credentialSchema>;

// The confidential client `mcp-dock gateway --stdio` signs in with. Made on first use and kept in
// the secret store (encrypted), so no client config ever holds a secret; made again if the user
// revoked it.
export async function stdioCredential(secrets: SecretStore, clients: ClientAdmin): Promise<StdioCredential> {
  const stored = (await secrets.values(SLOT, [NAME]))[NAME];
  if (stored) {
    const parsed = credentialSchema.safeParse(JSON.parse(stored));
    if (parsed.success && clients.exists(parsed.data.client_id)) return parsed.data;
  }
  if (clients.exists(STDIO_CLIENT_ID)) await clients.revoke(STDIO_CLIENT_ID);
  const created = await clients.create({
    name: STDIO_CLIENT_ID,
    grant: 'client_credentials',
    scope: STDIO_SCOPE,
  });
  await secrets.set(SLOT, NAME, JSON.stringify(created));
  return created;
}
