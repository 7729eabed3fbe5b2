import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeadlessCore } from '../../../test-support/headless-core';
import { StreamClientTransport } from '../../../test-support/stream-client-transport';
import type { Core } from '../core/create-core';
import { gateway } from './commands/gateway';
import type { CliIo } from './io';
import { runCommand } from './run';

let core: Core;
beforeAll(async () => {
  core = await startHeadlessCore();
});
afterAll(() => core.close());

function run(argv: string[]) {
  const toRelay = new PassThrough();
  const fromRelay = new PassThrough();
  const controller = new AbortController();
  const err: string[] = [];
  const io: CliIo = {
    out: () => undefined,
    err: (l) => err.push(l),
    signal: controller.signal,
    env: { ...process.env, DOCKER_HOST: 'unix:///fake.sock' },
    stdio: { input: toRelay, output: fromRelay },
  };
  return { done: gateway(argv, io), toRelay, fromRelay, err, controller };
}

describe('mcp-dock gateway --stdio', () => {
  it('relays an SDK client to the running app’s /mcp with a credential it keeps itself', async () => {
    const relay = run(['--stdio', '--url', `${core.httpOrigin}/mcp`, '--data-dir', core.dataDir]);
    const client = new Client({ name: 'stdio-relay-test', version: '1.0.0' });
    await client.connect(new StreamClientTransport(relay.fromRelay, relay.toRelay));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('test_pii_detection');
    const result = (await client.callTool({ name: 'test_encryption', arguments: {} })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    await client.close();
    expect(await relay.done).toBe(0);
    // The call is audited as the relay's own client, made on first use.
    const [event] = await core.api.audit.query({ limit: 1 });
    expect(event).toMatchObject({ tool_name: 'test_encryption', client_id: 'mcp-dock-gateway-stdio' });
    // A second run reuses the stored credential instead of making another client.
    const again = run(['--stdio', '--url', `${core.httpOrigin}/mcp`, '--data-dir', core.dataDir]);
    const second = new Client({ name: 'stdio-relay-test', version: '1.0.0' });
    await second.connect(new StreamClientTransport(again.fromRelay, again.toRelay));
    await second.close();
    expect(await again.done).toBe(0);
    expect(core.oauthClients.list().filter((c) => c.client_id === 'mcp-dock-gateway-stdio')).toHaveLength(1);
  });

  it('mints one token for a session, and the next sessions reuse it while it is valid', async () => {
    const stdioTokens = () =>
      core.oauthClients.tokens().filter((t) => t.clientId === 'mcp-dock-gateway-stdio');
    const session = async () => {
      const relay = run(['--stdio', '--url', `${core.httpOrigin}/mcp`, '--data-dir', core.dataDir]);
      const client = new Client({ name: 'stdio-relay-test', version: '1.0.0' });
      await client.connect(new StreamClientTransport(relay.fromRelay, relay.toRelay));
      await client.callTool({ name: 'test_encryption', arguments: {} });
      await client.close();
      expect(await relay.done).toBe(0);
    };
    await session();
    const [first] = stdioTokens();
    expect(stdioTokens()).toHaveLength(1);
    await session();
    await session();
    expect(stdioTokens().map((t) => t.jti)).toEqual([first!.jti]);
  });

  it('gets a new token by itself when its cached one was revoked', async () => {
    const stdioTokens = () =>
      core.oauthClients.tokens().filter((t) => t.clientId === 'mcp-dock-gateway-stdio');
    for (const t of stdioTokens()) await core.oauthClients.revokeToken(t.jti);
    const relay = run(['--stdio', '--url', `${core.httpOrigin}/mcp`, '--data-dir', core.dataDir]);
    const client = new Client({ name: 'stdio-relay-test', version: '1.0.0' });
    await client.connect(new StreamClientTransport(relay.fromRelay, relay.toRelay));
    const result = (await client.callTool({ name: 'test_encryption', arguments: {} })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    await client.close();
    expect(await relay.done).toBe(0);
    const renewed = stdioTokens();
    expect(renewed).toHaveLength(1);
    // The renewed token was kept: the next session starts on it.
    const next = run(['--stdio', '--url', `${core.httpOrigin}/mcp`, '--data-dir', core.dataDir]);
    const again = new Client({ name: 'stdio-relay-test', version: '1.0.0' });
    await again.connect(new StreamClientTransport(next.fromRelay, next.toRelay));
    await again.close();
    expect(await next.done).toBe(0);
    expect(stdioTokens()).toEqual(renewed);
  });

  it('clients revoke of the gateway’s own client says what stops working', async () => {
    await core.stdioCredential();
    const out: string[] = [];
    const io: CliIo = {
      out: (l) => out.push(l),
      err: () => undefined,
      signal: new AbortController().signal,
      env: {},
    };
    expect(
      await runCommand('clients', ['revoke', 'mcp-dock-gateway-stdio', '--data-dir', core.dataDir], io),
    ).toBe(0);
    expect(out.join('\n')).toMatch(/MCP Dock's own client\. .*gateway --stdio .*loses access at once/);
  });

  it('says so in one line when the app is not running', async () => {
    const relay = run(['--stdio', '--url', 'http://127.0.0.1:9/mcp', '--data-dir', core.dataDir]);
    await expect(relay.done).rejects.toMatchObject({
      code: 'TRANSPORT_CLOSED',
      message:
        'MCP Dock is not running at http://127.0.0.1:9; start the app or `mcp-dock serve`, then reconnect',
    });
  });
});
