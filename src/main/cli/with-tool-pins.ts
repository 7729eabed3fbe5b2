import { ToolPins, type ToolPinsOptions } from '../core/security/pins';
import { openSecurity } from '../core/security/open-security';
import type { CliIo } from './io';
import { openDataDir, openSecrets, withOpened, type DataDirFlags } from './open-capabilities';
import { findRunningApp } from './running-app';

// `tools pins` and `tools approve`: the data directory's tool pins. An approval is audited by the
// app when one runs on this data directory (it holds the log, and takes the file as it changes);
// with no app, by this command, which takes the log's writer lock for the record.
export function withToolPins<T>(
  io: CliIo,
  flags: DataDirFlags & { audited: boolean },
  work: (opened: { pins: ToolPins; appRuns: boolean }) => Promise<T>,
): Promise<T> {
  return withOpened(async (opened) => {
    const dataDir = await openDataDir(io, flags);
    const appRuns = flags.audited && (await findRunningApp(dataDir.dataDir)) !== undefined;
    let audit: ToolPinsOptions['audit'] = async () => undefined;
    if (flags.audited && !appRuns) {
      const { secrets } = await openSecrets(dataDir);
      const security = opened.push(await openSecurity(dataDir.dataDir, secrets, { writeAudit: 'lazily' }));
      audit = security.audit.append;
    }
    const pins = await ToolPins.open(dataDir.dataDir, { audit, auditOthersApprovals: false });
    opened.defer(() => pins.flush());
    return { pins, appRuns };
  }, work);
}
