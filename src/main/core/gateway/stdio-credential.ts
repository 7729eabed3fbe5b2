import { z } from 'zod';
import type { ClientAdmin } from '../oauth/client-admin';
import type { SecretStore } from '../secrets/secret-store';
import { STDIO_GATEWAY_CLIENT_ID } from '../../../shared/internal-clients';

// Secret-store slots are keyed by server name, and "gateway" was a valid one: saving or deleting
// a server of the user's called that dropped this credential. "@" starts no server name.
const SLOT = '@gateway-stdio';
const OLD_SLOT = 'gateway';
const NAME = 'stdio-client';
const TOKEN_NAME = 'stdio-token';
export const STDIO_CLIENT_ID = STDIO_GATEWAY_CLIENT_ID;
export const STDIO_SCOPE = 'mcp.access mcp:servers';
// A cached token with less left than this is not worth starting a session on.
const MIN_LEFT_S = 60;

const credentialSchema = z.object({ client_id: z.string().min(1), client_secret: z.string().min(1) });
export type StdioCredential = z.infer<typeof credentialSchema>;

const cachedTokenSchema = z.object({
  client_id: z.string().min(1),
  // The gateway URL it was asked for: its audience.
  url: z.string().min(1),
  access_token: z.string().min(1),
  token_type: z.string().min(1),
  scope: z.string().optional(),
  // Seconds since the epoch.
  expires_at: z.number(),
});

// The shape the MCP SDK's auth providers hand over and take back (its OAuthTokens).
export interface StdioTokens {
  access_token: string;
  token_type: string;
  expires_in?: number | undefined;
  scope?: string | undefined;
}

// The confidential client `mcp-dock gateway --stdio` signs in with. Made on first use and kept in
// the secret store (encrypted), so no client config ever holds a secret; made again if the user
// revoked it.
export async function stdioCredential(secrets: SecretStore, clients: ClientAdmin): Promise<StdioCredential> {
  await moveFromOldSlot(secrets);
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
  // A token of the client this one replaces is refused anyway.
  if (secrets.names(SLOT).includes(TOKEN_NAME)) await secrets.remove(SLOT, TOKEN_NAME);
  return created;
}

// Kept under OLD_SLOT before; server secrets are environment variable names, never "stdio-...",
// so these entries there are ours.
async function moveFromOldSlot(secrets: SecretStore): Promise<void> {
  const old = secrets.names(OLD_SLOT).filter((name) => name === NAME || name === TOKEN_NAME);
  if (old.length === 0) return;
  if (!secrets.names(SLOT).includes(NAME)) {
    const values = await secrets.values(OLD_SLOT, old).catch(() => ({}) as Record<string, string>);
    for (const [name, value] of Object.entries(values)) await secrets.set(SLOT, name, value);
  }
  for (const name of old) await secrets.remove(OLD_SLOT, name);
}

// Claude Desktop starts a gateway session per window and per restart; each used to mint its own
// 30-minute token, and the Tokens pane filled with them. Sessions now share the last token (kept
// encrypted beside the credential) until it is about to expire.
export async function readStdioToken(
  secrets: SecretStore,
  key: { clientId: string; url: string },
  now = Date.now(),
): Promise<StdioTokens | undefined> {
  if (!secrets.names(SLOT).includes(TOKEN_NAME)) return undefined;
  let cached: z.infer<typeof cachedTokenSchema>;
  try {
    const parsed = cachedTokenSchema.safeParse(
      JSON.parse((await secrets.values(SLOT, [TOKEN_NAME]))[TOKEN_NAME]!),
    );
    if (!parsed.success) return undefined;
    cached = parsed.data;
  } catch {
    // Unreadable (another key, a damaged entry): a new token costs one request.
    return undefined;
  }
  const left = cached.expires_at - Math.floor(now / 1000);
  if (cached.client_id !== key.clientId || cached.url !== key.url || left < MIN_LEFT_S) return undefined;
  return {
    access_token: cached.access_token,
    token_type: cached.token_type,
    expires_in: left,
    ...(cached.scope !== undefined ? { scope: cached.scope } : {}),
  };
}

export async function saveStdioToken(
  secrets: SecretStore,
  key: { clientId: string; url: string },
  tokens: StdioTokens,
  now = Date.now(),
): Promise<void> {
  // Without a lifetime there is nothing safe to reuse.
  if (tokens.expires_in === undefined) return;
  const cached: z.infer<typeof cachedTokenSchema> = {
    client_id: key.clientId,
    url: key.url,
    access_token: tokens.access_token,
    token_type: tokens.token_type,
    ...(tokens.scope !== undefined ? { scope: tokens.scope } : {}),
    expires_at: Math.floor(now / 1000) + tokens.expires_in,
  };
  await secrets.set(SLOT, TOKEN_NAME, JSON.stringify(cached));
}
