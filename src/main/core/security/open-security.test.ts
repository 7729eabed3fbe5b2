import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileKeyProvider } from '../secrets/key-provider';
import { openSecretStore } from '../secrets/secret-store';
import { openSecurity, type Security } from './open-security';
import { secureTool } from './secure-tool';

const call = {
  event_type: 'tool_call',
  tool_name: 'echo',
  user_id: 'local',
  client_id: 'local',
  contains_pii: false,
  action_taken: 'allowed',
  parameter_count: 1,
};

let dataDir: string;
let security: Security | undefined;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-open-security-'));
});
afterEach(async () => {
  await security?.close();
  security = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

const open = async () =>
  (security = await openSecurity(dataDir, await openSecretStore(dataDir, fileKeyProvider(dataDir)), {
    writeAudit: 'now',
  }));

describe('openSecurity: the audit log', () => {
  it('seals with a key it keeps in the secret store, and verifies with it', async () => {
    const s = await open();
    for (let i = 0; i < 3; i += 1) await s.audit.append(call);
    expect(await s.audit.verify()).toMatchObject({ ok: true, records: 3, seal: { state: 'sealed', seq: 3 } });
    expect(await readFile(join(dataDir, 'secrets.json'), 'utf8')).toContain('audit-seal-key');
    expect(await readFile(join(dataDir, 'audit', 'audit.jsonl'), 'utf8')).not.toContain('audit-seal-key');
  });

  it('starts on a log cut short, refuses every call with the reason, and shows it in verify', async () => {
    const s = await open();
    for (let i = 0; i < 4; i += 1) await s.audit.append(call);
    await s.close();
    security = undefined;
    const file = join(dataDir, 'audit', 'audit.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    await writeFile(
      file,
      lines
        .slice(0, 2)
        .map((l) => `${l}\n`)
        .join(''),
    );

    const again = await open();
    const status = await again.audit.verify();
    expect(status).toMatchObject({ ok: false, records: 2, seal: { state: 'truncated', seq: 4 } });
    const ran: string[] = [];
    const tool = secureTool(
      async () => {
        ran.push('ran');
        return { content: [] };
      },
      { toolName: 'echo', server: 'demo' },
      again.services,
      { clientId: 'local', userId: 'me', scopes: [] },
    );
    const result = await tool({}, {});
    expect(ran).toEqual([]);
    expect(result).toMatchObject({ isError: true });
    expect((result.content[0] as { text: string }).text).toMatch(
      /^AUDIT_CHAIN_BROKEN: The audit log in .* does not match its seal: records 3 to 4 are missing from the end: .*; the call was not run$/,
    );
  });
});
