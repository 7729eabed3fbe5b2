import { type Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serverSpecSchema } from '../../../shared/servers';
import { requireEngine } from '../../../../test-support/docker-engine';
import { gatewayHttpClient } from '../../../../test-support/gateway-clients';
import { ensureTestImage, SEQUENTIAL_THINKING } from '../../../../test-support/test-image';
import { createCore, type Core } from '../create-core';

// A full disk under the audit log, through the gateway to a real container: the call whose attempt
// cannot be logged must not reach the upstream server. The server keeps state the test can read
// back (sequential thinking counts the thoughts it was sent), so "not run" is seen from the
// container's side, not assumed from ours.
describe('the gateway when the audit log cannot be written', async () => {
  const engine = await requireEngine();
  const SEQ = `seq-audit-${randomBytes(3).toString('hex')}`;
  let docker: Docker;
  let core: Core;
  let dataDir: string;
  let client: Client | undefined;
  // The disk is "full" while this is set: every audit write fails as write(2) does then.
  let diskFull = false;

  beforeAll(async () => {
    if (!engine) return;
    docker = new Docker({ socketPath: engine.socketPath });
    const image = await ensureTestImage(docker);
    dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-gateway-audit-'));
    core = await createCore({
      mode: 'headless',
      dataDir,
      dockerHost: `unix://${engine.socketPath}`,
      http: { port: 0 },
      probeTimeoutMs: 60_000,
      auditIo: {
        write(fd, data, offset, length, position) {
          if (diskFull)
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
              code: 'ENOSPC',
              errno: -28,
              syscall: 'write',
            });
          return writeSync(fd, data, offset, length, position);
        },
      },
    });
    await vi.waitFor(() => expect(core.engine.status().state).toBe('reachable'), { timeout: 10_000 });
    await core.api.servers.add({
      spec: serverSpecSchema.parse({ name: SEQ, image, command: SEQUENTIAL_THINKING }),
    });
    await core.containers.start(SEQ, { waitForProbe: true });
    client = await gatewayHttpClient(core, 'audit-client');
  }, 300_000);

  afterAll(async () => {
    diskFull = false;
    await client?.close().catch(() => undefined);
    await core?.close();
    if (engine) {
      const all = await docker.listContainers({ all: true });
      await Promise.all(
        all
          .filter((c) => c.Names.some((n) => n.includes(SEQ)))
          .map((c) =>
            docker
              .getContainer(c.Id)
              .remove({ force: true })
              .catch(() => undefined),
          ),
      );
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const think = async (thought: string) =>
    (await client!.callTool({
      name: `${SEQ}__sequentialthinking`,
      arguments: { thought, thoughtNumber: 1, totalThoughts: 1, nextThoughtNeeded: false },
    })) as CallToolResult;
  const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;
  const historyLength = (r: CallToolResult) =>
    (JSON.parse(text(r)) as { thoughtHistoryLength: number }).thoughtHistoryLength;

  it.skipIf(!engine)(
    'does not forward a call whose attempt cannot be logged, and logs attempt and outcome otherwise',
    async () => {
      await vi.waitFor(
        async () =>
          expect((await client!.listTools()).tools.map((t) => t.name)).toContain(
            `${SEQ}__sequentialthinking`,
          ),
        { timeout: 30_000 },
      );
      const first = await think('first');
      expect(first.isError).toBeFalsy();
      const before = historyLength(first);

      diskFull = true;
      const refused = await think('must not arrive');
      diskFull = false;
      expect(refused.isError).toBe(true);
      expect(text(refused)).toMatch(
        // The record, or the seal over the records before it (written within 20 ms), hit the full disk.
        /^AUDIT_FAILED: The audit log cannot be used: writing .*audit\.(jsonl|seal) failed: ENOSPC: no space left on device, write; the call was not run$/,
      );

      // The server counts every thought it was sent: the refused one never reached it.
      const after = await think('second');
      expect(historyLength(after)).toBe(before + 1);

      // The calls' records (the tool's pin, made when the gateway first listed it, is its own).
      const events = (await core.api.audit.query({ tool_name: 'sequentialthinking', order: 'asc' })).filter(
        (e) => e.event_type.startsWith('tool_call'),
      );
      expect(events.map((e) => e.event_type)).toEqual([
        'tool_call_attempt',
        'tool_call',
        'tool_call_attempt',
        'tool_call',
      ]);
      expect(events[1]!.call_id).toBe(events[0]!.call_id);
      expect(events[3]!.call_id).toBe(events[2]!.call_id);
      expect(events[2]!.call_id).not.toBe(events[0]!.call_id);
      expect(events.every((e) => e.server === SEQ)).toBe(true);
      expect(await core.api.audit.verify()).toMatchObject({ ok: true, seal: { state: 'sealed' } });
    },
    180_000,
  );
});
