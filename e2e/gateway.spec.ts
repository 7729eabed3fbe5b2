import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect, openApp, test } from './fixtures/dock';

// What a Claude Desktop user does: copy the gateway's stdio entry from Connect, and the client
// launches it. The SDK's stdio client stands in for Claude Desktop.
test('the gateway’s stdio snippet from the Connect pane works through the SDK client', async ({ dock }) => {
  const { page } = dock;
  await openApp(dock);
  await page.getByRole('link', { name: 'Connect' }).click();
  await page.getByRole('tab', { name: 'Claude Desktop' }).click();
  const section = page.getByRole('group', { name: 'Claude Desktop gateway snippet' });
  await expect(section).toContainText('gateway');
  await page.getByRole('button', { name: 'Copy gateway snippet' }).click();
  const copied = JSON.parse(await dock.readClipboard()) as {
    mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
  };
  const entry = copied.mcpServers['mcp-dock']!;
  expect(entry.args).toEqual(expect.arrayContaining(['gateway', '--stdio']));
  expect(JSON.stringify(entry)).not.toMatch(/secret/i);

  const client = new Client({ name: 'e2e-as-claude-desktop', version: '0' });
  await client.connect(
    new StdioClientTransport({
      command: entry.command,
      args: entry.args,
      env: { PATH: process.env.PATH ?? '', ...entry.env },
      stderr: 'pipe',
    }),
  );
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name)).toContain('test_pii_detection');
  const result = (await client.callTool({
    name: 'test_encryption',
    arguments: { text: 'via stdio' },
  })) as CallToolResult;
  expect(result.isError).toBeFalsy();
  await client.close();

  // The relay's own client shows in the Gateway pane's list of clients while connected, and
  // its call is in the audit log.
  await page.getByRole('link', { name: 'Audit' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'test_encryption' }).first()).toContainText(
    'mcp-dock-gateway-stdio',
  );
});
