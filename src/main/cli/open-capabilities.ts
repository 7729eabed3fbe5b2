import { CloseStack } from '../core/lib/close-stack';
import { fileKeyProvider } from '../core/secrets/key-provider';
import { openSecretStore, type SecretStore } from '../core/secrets/secret-store';
import { prepareDataDir, resolveDataDir } from '../core/store/data-dir';
import { loadSettings, type Settings } from '../core/store/settings';
import type { CliIo } from './io';

// A command opens only the capabilities it uses, with the openers createCore calls, and closes
// them however it ends. Opening all of core for every command cost `servers list` and `gateway
// --stdio` (which Claude Desktop starts each time) 0.7 s, mostly loading oidc-provider, the MCP
// SDK and dockerode they never touch. The `with*` helpers live one per file (with-servers.ts,
// with-oauth-clients.ts, with-dock-tools.ts) so that a command's module graph holds only its
// own. None starts an HTTP server: the app may be running and owns the port.

export interface DataDirFlags {
  dataDir?: string | undefined;
}

export interface Opened {
  dataDir: string;
  settings: Settings;
}

export interface OpenedSecrets extends Opened {
  secrets: SecretStore;
}

// The data directory as createCore prepares it, and its settings (a broken settings.json fails
// every command, as it fails the app).
export async function openDataDir(io: CliIo, flags: DataDirFlags): Promise<Opened> {
  const dataDir = await prepareDataDir(resolveDataDir({ flag: flags.dataDir, env: io.env }));
  return { dataDir, settings: await loadSettings(dataDir) };
}

// The secret store as the CLI and headless mode keep it: the key in a 0600 file beside it.
export async function openSecrets(opened: Opened): Promise<OpenedSecrets> {
  return { ...opened, secrets: await openSecretStore(opened.dataDir, fileKeyProvider(opened.dataDir)) };
}

// Opens, runs the command's work, and closes what was opened (in reverse), also when opening
// fails halfway.
export async function withOpened<C, T>(
  open: (opened: CloseStack) => Promise<C>,
  work: (capabilities: C) => Promise<T>,
): Promise<T> {
  const opened = new CloseStack();
  try {
    return await work(await open(opened));
  } finally {
    await opened.closeAll();
  }
}
