import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StreamClientTransport } from '../../../test-support/stream-client-transport';
import { tools as toolsCommand } from './commands/tools';

const GUIDE_TEXT = '고객 정보: 홍길동님 (hong@example.com, 010-1234-5678)';
const json = (result: unknown) => {
  const r = result as CallToolResult;
  expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tool output is JSON, read by shape in assertions
  return JSON.parse((r.content[0] as { text: string }).text) as Record<string, any>;
};

describe('the nine tools over stdio (mcp-dock tools --stdio)', () => {
  it('lists and calls them through the SDK client, audited as the local user', async () => {
    const toServer = new PassThrough();
    const fromServer = new PassThrough();
    const controller = new AbortController();
    const lines: string[] = [];
    // Its own data directory: one audit log has one writer.
    const stdioDir = await mkdtemp(join(tmpdir(), 'mcp-dock-stdio-'));
    const running = toolsCommand(['--stdio', '--data-dir', stdioDir], {
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
      signal: controller.signal,
      env: { ...process.env, DOCKER_HOST: 'unix:///fake.sock' },
      stdio: { input: toServer, output: fromServer },
    });
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(new StreamClientTransport(fromServer, toServer));
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(9);
    const out = json(await client.callTool({ name: 'test_pii_detection', arguments: { text: GUIDE_TEXT } }));
    expect(out.findings).toHaveLength(3);
    // The newest outcome (the log call's own attempt is newer still).
    const log = json(
      await client.callTool({
        name: 'get_security_audit_log',
        arguments: { event_type: 'tool_call', limit: 1 },
      }),
    );
    expect(log.events[0]).toMatchObject({ tool_name: 'test_pii_detection', client_id: 'local' });
    await client.close();
    expect(await running).toBe(0);
    expect(lines).toEqual([]);
  });
});
