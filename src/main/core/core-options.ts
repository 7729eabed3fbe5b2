import type { Remotes } from './remotes/open-remotes';
import type { StdioLaunch } from '../../shared/snippets';
import type { DockImpl } from '../../shared/contract';
import type { EngineConnection } from './docker/engine-connection';
import type { EngineMonitor } from './docker/engine-monitor';
import type { ContainerManager } from './servers';
import type { StdioCredential } from './gateway/stdio-credential';
import type { ClientAdmin } from './oauth/client-admin';
import type { MetadataFetchOptions } from './oauth/client-metadata-document';
import type { ConsentQueue } from './oauth/consents';
import type { KeyProvider } from './secrets/key-provider';
import type { AuditIo } from './security/audit';
import type { Security } from './security/open-security';
import type { FileReload } from './store/watch-files';

// What a shell (Electron, the CLI, tests) asks of core, and what it gets back.
export interface CoreOptions {
  dataDir: string;
  mode: 'desktop' | 'headless';
  // Overrides DOCKER_HOST and the well-known sockets.
  dockerHost?: string | undefined;
  // false: no HTTP server at all (CLI commands, which must not fight the running app for its port).
  http?:
    | false
    | {
        host?: string;
        // Beats settings.json; 0 picks a free port (tests).
        port?: number | undefined;
        // How the user changes the port, for the "port in use" error.
        portSetting?: string;
      };
  // Headless mode: serve the built renderer and the WebSocket bridge behind a per-run token.
  ui?: { rendererDir: string; token?: string };
  env?: NodeJS.ProcessEnv;
  engine?: {
    connect?: (endpoint: { url: string; source: string }) => EngineConnection;
    retryDelaysMs?: readonly number[];
    heartbeatMs?: number;
  };
  // Encrypts secrets at rest: the desktop app passes the OS keychain (safeStorage); headless uses
  // a 0600 key file in the data directory.
  keyProvider?: KeyProvider;
  probeTimeoutMs?: number;
  // Where client config files live (the user's home); tests point it at a temp folder.
  clientHome?: string;
  // How client metadata documents are fetched; tests point it at a local https server.
  clientMetadata?: MetadataFetchOptions;
  // How a client launches this install's CLI (the gateway's stdio snippet); found when absent.
  cliLaunch?: StdioLaunch;
  // Hears what became of each change another process made to the data directory's files (a
  // half-edited file is refused and the last good state kept): `serve` tells the user.
  onDataDirReload?: (reload: FileReload) => void;
  // The audit log's synchronous writes; tests make them fail as a full disk would.
  auditIo?: AuditIo;
}

export interface Core {
  readonly api: DockImpl;
  readonly dataDir: string;
  // Core's HTTP server, e.g. http://127.0.0.1:8081; empty when started without one.
  readonly httpOrigin: string;
  readonly port: number;
  // Headless mode only: the URL to open, token included.
  readonly uiUrl: string | undefined;
  readonly engine: EngineMonitor;
  readonly containers: ContainerManager;
  readonly remotes: Remotes;
  readonly oauthClients: ClientAdmin;
  readonly consents: ConsentQueue;
  readonly security: Security;
  // The credential `mcp-dock gateway --stdio` signs in with (made on first use).
  stdioCredential(): Promise<StdioCredential>;
  // Where clients reach this app's HTTP server (the running one, or the configured port).
  issuer(): string;
  close(): Promise<void>;
}
