import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEngine } from '../../../../test-support/fake-engine';
import { isDockError } from '../../../shared/errors';
import { createCore, type Core } from '../create-core';
import { probeMcp } from '../servers/mcp-probe';
import { mcpErrorText, stripMcpErrorPrefix } from './mcp-errors';

// An MCP server built on the SDK, as most upstream servers are: its tools/list fails.
async function failingUpstream(): Promise<InMemoryTransport> {
  const server = new Server({ name: 'upstream', version: '1' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => {
    throw new McpError(ErrorCode.InvalidParams, 'cursor "x" is not one of ours');
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  return clientSide;
}

describe('MCP error prefixes', () => {
  it.each([
    ['MCP error -32602: MCP error -32602: Unknown tool: x', 'Unknown tool: x'],
    ['MCP error -32001: Request timed out', 'Request timed out'],
    ['Unknown tool: x', 'Unknown tool: x'],
    ['the MCP error -32602: stays inside a sentence', 'the MCP error -32602: stays inside a sentence'],
  ])('strips the SDK prefixes from %j', (message, bare) => expect(stripMcpErrorPrefix(message)).toBe(bare));

  it('an SDK client reads an SDK server’s error with the prefix twice: mcpErrorText reads it bare', async () => {
    const client = new Client({ name: 't', version: '1' });
    await client.connect(await failingUpstream());
    const error = await client.listTools().catch((e: unknown) => e);
    // The SDK's own behaviour, which is why the prefixes are stripped where we show or relay it.
    expect((error as Error).message).toBe(
      'MCP error -32602: MCP error -32602: cursor "x" is not one of ours',
    );
    expect(mcpErrorText(error)).toBe('cursor "x" is not one of ours');
    await client.close();
  });

  it('a failed probe says what the server answered, without the SDK’s codes', async () => {
    const error = await probeMcp(await failingUpstream(), 5000).catch((e: unknown) => e);
    expect(isDockError(error) && error.code).toBe('PROBE_FAILED');
    expect((error as Error).message).toBe('the MCP handshake failed: cursor "x" is not one of ours');
  });
});

describe('errors our gateway sends over /mcp', () => {
  let core: Core;
  let dataDir: string;
  let client: Client;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-errors-'));
    core = await createCore({
      mode: 'headless',
      dataDir,
      http: { port: 0 },
      dockerHost: 'unix:///fake.sock',
      engine: { connect: fakeEngine().connect },
    });
    const { client_id, client_secret } = await core.oauthClients.create({
      name: 'errors-client',
      grant: 'client_credentials',
      scope: 'mcp.access',
    });
    const res = await fetch(`${core.httpOrigin}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: `${core.httpOrigin}/mcp` }),
    });
    const { access_token } = (await res.json()) as { access_token: string };
    client = new Client({ name: 'errors-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${core.httpOrigin}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${access_token}` } },
      }),
    );
  });
  afterAll(async () => {
    await client?.close();
    await core?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('carry their message bare, so an SDK client shows one "MCP error -32602:"', async () => {
    const error = await client.callTool({ name: 'nope_tool', arguments: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(ErrorCode.InvalidParams);
    expect((error as Error).message).toBe('MCP error -32602: Unknown tool: nope_tool');
  });
});
