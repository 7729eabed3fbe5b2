import type { CloseStack } from '../core/lib/close-stack';
import { createClientAdmin, type ClientAdmin } from '../core/oauth/client-admin';
import { createMetadataResolver, looksLikeMetadataUrl } from '../core/oauth/client-metadata-document';
import { openOAuthStore } from '../core/oauth/file-adapter';
import type { CliIo } from './io';
import {
  openDataDir,
  openSecrets,
  withOpened,
  type DataDirFlags,
  type Opened,
  type OpenedSecrets,
} from './open-capabilities';

export interface OpenedOAuthClients extends Opened {
  clients: ClientAdmin;
}

export interface OpenedGatewayCredential extends OpenedSecrets {
  clients: ClientAdmin;
}

// The OAuth store and its clients as openOAuth opens them, without the authorization server:
// the CLI serves no OAuth, and loading oidc-provider alone takes longer than the rest of a
// command. Closing flushes the store's pending writes, as openOAuth's close does.
async function openOAuthClients(dataDir: string, opened: CloseStack): Promise<ClientAdmin> {
  const metadataResolver = createMetadataResolver();
  const store = await openOAuthStore(dataDir, {
    resolveClient: (id) =>
      looksLikeMetadataUrl(id) ? metadataResolver.resolve(id) : Promise.resolve(undefined),
  });
  opened.defer(() => store.flush());
  return createClientAdmin(store);
}

// `clients`: the OAuth clients only.
export function withOAuthClients<T>(
  io: CliIo,
  flags: DataDirFlags,
  work: (opened: OpenedOAuthClients) => Promise<T>,
): Promise<T> {
  return withOpened(async (opened) => {
    const base = await openDataDir(io, flags);
    return { ...base, clients: await openOAuthClients(base.dataDir, opened) };
  }, work);
}

// `gateway --stdio`: what its credential is kept in (the secret store) and made as (a client).
export function withGatewayCredential<T>(
  io: CliIo,
  flags: DataDirFlags,
  work: (opened: OpenedGatewayCredential) => Promise<T>,
): Promise<T> {
  return withOpened(async (opened) => {
    const base = await openSecrets(await openDataDir(io, flags));
    return { ...base, clients: await openOAuthClients(base.dataDir, opened) };
  }, work);
}
