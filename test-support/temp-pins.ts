import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEventInput } from '../src/shared/audit';
import { ToolPins } from '../src/main/core/security/pins';

// Tool pins in a data directory of their own, for a gateway session under test; their audit
// records go to `audit` (nowhere by default, so a test's own records stay as they were).
export async function tempPins(audit: (event: AuditEventInput) => void = () => undefined): Promise<ToolPins> {
  return ToolPins.open(await mkdtemp(join(tmpdir(), 'pins-')), {
    audit: async (event) => audit(event),
    auditOthersApprovals: true,
  });
}
