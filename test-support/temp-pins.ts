import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEventInput } from '../src/shared/audit';
import { CallApprovals } from '../src/main/core/gateway/call-approvals';
import { ToolPins } from '../src/main/core/security/pins';

// Tool pins in a data directory of their own, for a gateway session under test; their audit
// records go to `audit` (nowhere by default, so a test's own records stay as they were).
export async function tempPins(audit: (event: AuditEventInput) => void = () => undefined): Promise<ToolPins> {
  return ToolPins.open(await mkdtemp(join(tmpdir(), 'pins-')), {
    audit: async (event) => audit(event),
    auditOthersApprovals: true,
  });
}

// What a gateway session needs besides the pool and security to decide whether a call may run:
// tool pins, held calls (answered by the test through `approvals`), and where "always allow" goes.
export async function tempTrust(audit: (event: AuditEventInput) => void = () => undefined) {
  const always: string[] = [];
  return {
    pins: await tempPins(audit),
    approvals: new CallApprovals({ timeoutMs: () => 10_000, audit: async (event) => audit(event) }),
    allowAlways: async (clientId: string, server: string, tool: string) =>
      void always.push(`${clientId}:${server}/${tool}`),
    always,
  };
}
