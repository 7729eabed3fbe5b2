import { isAbsolute, join } from 'node:path';
import type {
  AuditChainStatus,
  AuditEvent,
  AuditEventInput,
  AuditExportFormat,
  AuditQuery,
} from '../../../shared/audit';
import { isDockError } from '../../../shared/errors';
import type { SecretStore } from '../secrets/secret-store';
import {
  APP_SEAL_DELAY_MS,
  AuditLog,
  exportAuditDir,
  lookupSealKey,
  queryAuditDir,
  secretStoreSealKeys,
  verifyAuditDir,
  type AuditIo,
  type RecoveredTail,
} from './audit';
import { fileFernetKeys, openFernetKeys, secretStoreFernetKeys, type FernetKeys } from './fernet-keys';
import type { SecurityServices } from './secure-tool';
import { openSecuritySettings, type SecuritySettings } from './security-settings';

export interface SecurityAudit {
  readonly dir: string;
  append(event: AuditEventInput): Promise<AuditEvent>;
  // Takes the writer's place (the log has one writer), so a secured call can refuse to run
  // unaudited before it starts.
  ready(): Promise<void>;
  query(query: AuditQuery): Promise<AuditEvent[]>;
  export(query: AuditQuery, format: AuditExportFormat): Promise<string>;
  // The whole chain and its sealed head, checked with the key from this data directory's secrets.
  verify(): Promise<AuditChainStatus>;
  subscribe(listener: (event: AuditEvent) => void): () => void;
  // A torn last line found and set aside when the log was opened.
  recovered(): RecoveredTail | undefined;
}

export interface Security {
  settings: SecuritySettings;
  fernet: FernetKeys;
  audit: SecurityAudit;
  services: SecurityServices;
  close(): Promise<void>;
}

export const AUDIT_DIR = 'audit';

// The security layer, ready for secureTool: policies and patterns from security.json, Fernet
// keys (secret store or the configured key file), and the audit log in <dataDir>/audit.
// `writeAudit: 'now'` takes the log's writer lock at once (the app); 'lazily' only when a call is
// audited, so CLI commands that never audit run beside the app.
export async function openSecurity(
  dataDir: string,
  secrets: SecretStore,
  options: { writeAudit: 'now' | 'lazily'; auditIo?: AuditIo | undefined },
): Promise<Security> {
  const settings = await openSecuritySettings(dataDir);
  const keyFile = settings.config().fernetKeyFile;
  const fernet = await openFernetKeys(
    keyFile
      ? fileFernetKeys(isAbsolute(keyFile) ? keyFile : join(dataDir, keyFile))
      : secretStoreFernetKeys(secrets),
  );
  const dir = join(dataDir, AUDIT_DIR);
  const sealKeys = secretStoreSealKeys(secrets);
  const listeners = new Set<(event: AuditEvent) => void>();
  let opening: Promise<AuditLog> | undefined;
  let log: AuditLog | undefined;
  const writer = () =>
    (opening ??= AuditLog.open(dir, {
      seal: sealKeys,
      sealDelayMs: APP_SEAL_DELAY_MS,
      ...(options.auditIo ? { io: options.auditIo } : {}),
    }).then(
      (opened) => {
        log = opened;
        opened.subscribe((event) => {
          for (const listener of listeners) listener(event);
        });
        return opened;
      },
      (error: unknown) => {
        opening = undefined;
        throw error;
      },
    ));
  if (options.writeAudit === 'now') {
    try {
      await writer();
    } catch (error) {
      // A log that was cut short or rewritten must not keep the app from starting: it starts,
      // every call is refused with the reason (secureTool asks auditReady first, which tries
      // again), and the Audit pane shows what verify finds. Any other failure stops the start.
      if (!(isDockError(error) && error.code === 'AUDIT_CHAIN_BROKEN')) throw error;
    }
  }

  const audit: SecurityAudit = {
    dir,
    append: async (event) => (await writer()).append(event),
    ready: async () => {
      await writer();
    },
    query: (query) => queryAuditDir(dir, query),
    export: (query, format) => exportAuditDir(dir, query, format),
    verify: async () => {
      // This process writes the log: its seal first catches up with the newest record.
      log?.sealNow();
      return verifyAuditDir(dir, { sealKey: await lookupSealKey(sealKeys) });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    recovered: () => log?.recovered,
  };
  const services: SecurityServices = {
    policyContext: (contextOptions) => {
      const config = settings.config();
      return {
        scanner: settings.scanner(),
        fernet: () => fernet.current(),
        threshold: config.threshold,
        timeBudgetMs: config.scanTimeBudgetMs,
        ...(contextOptions?.requireEncryption ? { requireEncryption: true } : {}),
      };
    },
    config: () => settings.config(),
    audit: (event) => audit.append(event),
    auditReady: () => audit.ready(),
  };
  return {
    settings,
    fernet,
    audit,
    services,
    close: async () => {
      await (opening?.catch(() => undefined) ?? Promise.resolve());
      await log?.close();
    },
  };
}
