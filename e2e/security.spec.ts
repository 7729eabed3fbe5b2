import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, openApp, test } from './fixtures/dock';

const GUIDE_TEXT = '고객 정보: 홍길동님 (hong@example.com, 010-1234-5678)';
const CLI = join(__dirname, '..', 'out', 'main', 'cli.js');

test('the PII Tester highlights the guide’s example', async ({ dock }) => {
  await openApp(dock);
  await dock.page.getByRole('link', { name: 'PII Tester' }).click();
  await dock.page.getByLabel('Text to scan').fill(GUIDE_TEXT);
  const highlighted = dock.page.getByRole('group', { name: 'Highlighted text' });
  const marks = highlighted.locator('mark');
  await expect(marks).toHaveCount(3);
  await expect(marks.nth(0)).toHaveText('홍길동');
  await expect(marks.nth(0)).toHaveAttribute('aria-label', /^PERSON /);
  await expect(marks.nth(1)).toHaveText('hong@example.com');
  await expect(marks.nth(1)).toHaveAttribute('aria-label', /^EMAIL_ADDRESS /);
  await expect(marks.nth(2)).toHaveText('010-1234-5678');
  await expect(marks.nth(2)).toHaveAttribute('aria-label', /^PHONE_NUMBER /);
  await expect(dock.page.getByText('****************')).toBeVisible();
});

test('a tool call with PII shows in the live Audit pane, masked and without the value', async ({ dock }) => {
  await openApp(dock);
  await dock.page.getByRole('link', { name: 'Audit' }).click();
  await expect(dock.page.getByRole('heading', { name: 'Audit' })).toBeVisible();
  await expect(dock.page.getByRole('status', { name: 'Audit chain' })).toContainText('Chain intact');

  // A confidential client made with the CLI while the app runs, as a user would.
  const { stdout } = await promisify(execFile)(process.execPath, [
    CLI,
    'clients',
    'add',
    '--name',
    'e2e-audit',
    '--grant',
    'client_credentials',
    '--scope',
    'mcp.access',
    '--data-dir',
    dock.dataDir,
  ]);
  const { client_id, client_secret } = JSON.parse(stdout) as { client_id: string; client_secret: string };
  const origin = await dock.httpOrigin();
  let tokenResponse: Response | undefined;
  // The app picks up the CLI's write through its file watcher.
  await expect(async () => {
    tokenResponse = await fetch(`${origin}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: `${origin}/mcp` }),
    });
    expect(tokenResponse.status).toBe(200);
  }).toPass({ timeout: 5000 });
  const { access_token } = (await tokenResponse!.json()) as { access_token: string };

  const client = new Client({ name: 'e2e-audit', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${access_token}` } },
    }),
  );
  await client.callTool({ name: 'get_security_audit_log', arguments: { client_id: 'hong@example.com' } });
  await client.close();

  // Two rows for the call: its attempt (logged before it ran) and its outcome.
  const rows = dock.page
    .getByRole('row')
    .filter({ hasText: 'get_security_audit_log' })
    .filter({ hasText: 'EMAIL_ADDRESS×1' });
  const row = rows.filter({ hasNotText: 'tool_call_attempt' });
  await expect(row).toBeVisible({ timeout: 1000 });
  await expect(row).toContainText('masked');
  await expect(row).toContainText(client_id);
  await expect(rows.filter({ hasText: 'tool_call_attempt' })).toContainText('masked');
  // The chain badge catches up with the new records by itself (it said 0 when the pane opened).
  await expect(dock.page.getByRole('status', { name: 'Audit chain' })).toHaveText(
    /^Chain intact · [1-9][\d,]* records$/,
  );
  await expect(dock.page.locator('body')).not.toContainText('hong@example.com');
});
