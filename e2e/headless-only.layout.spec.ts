import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Locator, Page } from '@playwright/test';
import { expect, openApp, test, type Dock } from './fixtures/dock';

const CLI = join(__dirname, '..', 'out', 'main', 'cli.js');
const COLUMNS = [
  'Time',
  'Event type',
  'Tool',
  'Server',
  'Client',
  'PII',
  'Action',
  'Outcome',
  'Duration',
  'Seq',
];
// As long as the client ids people meet: a named client with an instance suffix.
const CLIENT = 'claude-desktop-8f3a2c71-4b6e-4d9a';

// A few audited calls from a client with a long id, made as a user's MCP client would.
async function auditSomeCalls(dock: Dock): Promise<void> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    CLI,
    ...['clients', 'add', '--name', CLIENT, '--grant', 'client_credentials', '--scope', 'mcp.access'],
    ...['--data-dir', dock.dataDir],
  ]);
  const { client_id, client_secret } = JSON.parse(stdout) as { client_id: string; client_secret: string };
  const origin = await dock.httpOrigin();
  let token = '';
  // The app picks up the CLI's write through its file watcher.
  await expect(async () => {
    const res = await fetch(`${origin}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: `${origin}/mcp` }),
    });
    expect(res.status).toBe(200);
    token = ((await res.json()) as { access_token: string }).access_token;
  }).toPass({ timeout: 5000 });
  const client = new Client({ name: 'e2e-layout', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  await client.callTool({ name: 'get_security_audit_log', arguments: { client_id: 'hong@example.com' } });
  await client.callTool({ name: 'test_pii_detection', arguments: { text: '010-1234-5678' } });
  await client.callTool({ name: 'nope_tool', arguments: {} }).catch(() => undefined);
  await client.close();
}

// Inside the table's visible box, and not cut by its cell.
async function expectWhollyShown(page: Page, table: Locator, cell: Locator): Promise<void> {
  const outer = (await table.boundingBox())!;
  const box = (await cell.boundingBox())!;
  expect(box.width).toBeGreaterThan(0);
  expect(box.x).toBeGreaterThanOrEqual(outer.x);
  expect(box.x + box.width).toBeLessThanOrEqual(outer.x + outer.width + 0.5);
  expect(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  void page;
}

test('the Audit table keeps every column in view at 900 px, and the client id whole at 1400 px', async ({
  dock,
}) => {
  const { page } = dock;
  await openApp(dock);
  await auditSomeCalls(dock);
  await page.getByRole('link', { name: 'Audit' }).click();
  const table = page.getByRole('table', { name: 'Audit events' });
  // The call's outcome row (its attempt row, logged before it ran, reads tool_call_attempt).
  const row = table
    .getByRole('row')
    .filter({ hasText: 'get_security_audit_log' })
    .filter({ hasNotText: 'attempt' });
  await expect(row).toBeVisible();

  for (const width of [900, 1400, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    // Nothing hides to the right behind a horizontal scrollbar.
    await expect.poll(() => table.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    for (const name of COLUMNS) {
      await expectWhollyShown(page, table, table.getByRole('columnheader', { name, exact: true }));
    }
    const cells = row.getByRole('cell');
    await expect(cells).toHaveCount(COLUMNS.length);
    for (let i = 0; i < COLUMNS.length; i++) {
      const box = (await cells.nth(i).boundingBox())!;
      const outer = (await table.boundingBox())!;
      expect(box.x + box.width, `${COLUMNS[i]} at ${width} px`).toBeLessThanOrEqual(outer.x + outer.width);
    }
    if (width >= 1400) {
      const client = cells.nth(COLUMNS.indexOf('Client'));
      await expect(client).toHaveText(CLIENT);
      await expectWhollyShown(page, table, client);
      await expectWhollyShown(page, table, cells.nth(COLUMNS.indexOf('Tool')));
    }
    await page.screenshot({ path: test.info().outputPath(`audit-${width}.png`) });
  }
});

// WCAG 1.4.11: a focus indicator needs 3:1 against what is around it.
function luminance([r, g, b]: number[]): number {
  const [R, G, B] = [r!, g!, b!].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!;
}
const rgb = (css: string) => (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);

test('the sidebar shows where keyboard focus is, clearly', async ({ dock }) => {
  const { page } = dock;
  await openApp(dock);
  const nav = page.getByRole('navigation', { name: 'Sections' });
  const link = nav.getByRole('link', { name: 'Gateway' });
  // Keyboard focus, as a user tabbing through the sidebar gets it.
  for (let i = 0; i < 10 && !(await link.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(link).toBeFocused();
  const ring = await link.evaluate((el) => {
    const style = getComputedStyle(el);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor };
  });
  const sidebar = await nav.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(ring.style).toBe('solid');
  expect(ring.width).toBeGreaterThanOrEqual(2);
  const [a, b] = [luminance(rgb(ring.color)), luminance(rgb(sidebar))];
  expect((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)).toBeGreaterThanOrEqual(3);
  await page.screenshot({ path: test.info().outputPath('sidebar-focus.png') });
});
