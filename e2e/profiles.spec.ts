import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startRemoteMcpServer } from '../test-support/remote-mcp-server';
import { expect, openApp, test, type Dock } from './fixtures/dock';

const CLI = join(__dirname, '..', 'out/main/cli.js');
const run = promisify(execFile);

// The CLI on the app's data directory, as a user types it.
const cli = (dock: Dock, ...args: string[]) =>
  run(process.execPath, [CLI, ...args, '--data-dir', dock.dataDir], {
    env: { PATH: process.env.PATH ?? '', DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
  });

// A stdio client of one profile, as Claude Desktop runs it (gateway --stdio --profile).
async function profileClient(dock: Dock, profile: string): Promise<Client> {
  const client = new Client({ name: 'e2e-profiles', version: '0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'gateway', '--stdio', '--profile', profile, '--data-dir', dock.dataDir],
      env: { PATH: process.env.PATH ?? '' },
      stderr: 'pipe',
    }),
  );
  return client;
}

test('makes a profile in the panel, with tool search, and a stdio client sees only it', async ({ dock }) => {
  const alpha = await startRemoteMcpServer({ kind: 'streamable', name: 'alpha' });
  const beta = await startRemoteMcpServer({ kind: 'streamable', name: 'beta' });
  const { page } = dock;
  try {
    await openApp(dock);
    await cli(dock, 'servers', 'add', 'alpha', '--url', alpha.url);
    await cli(dock, 'servers', 'add', 'beta', '--url', beta.url);
    await expect(
      page.getByRole('article', { name: 'beta', exact: true }).getByLabel('beta state'),
    ).toHaveText('connected', { timeout: 20_000 });

    await page.getByRole('link', { name: 'Profiles' }).click();
    await expect(page.getByRole('heading', { name: 'No profiles yet' })).toBeVisible();
    await page.getByRole('button', { name: 'New profile' }).click();
    const form = page.getByRole('form', { name: 'New profile' });
    await form.getByRole('textbox', { name: /^Name/ }).fill('review');
    await form.getByRole('searchbox', { name: 'Filter' }).fill('bearer token');
    await expect(form.getByRole('checkbox', { name: 'alpha echo' })).toHaveCount(0);
    await form.getByRole('checkbox', { name: 'beta whoami' }).check();
    await form.getByRole('searchbox', { name: 'Filter' }).fill('');
    await form.getByRole('checkbox', { name: /alpha\s*all of it/ }).check();
    await form.getByRole('checkbox', { name: /Tool search/ }).check();
    await page.screenshot({ path: test.info().outputPath('profile-form.png'), fullPage: true });
    await form.getByRole('button', { name: 'Add profile' }).click();

    const card = page.getByRole('article', { name: 'review' });
    await expect(card.getByLabel('review endpoint')).toHaveText(`${await dock.httpOrigin()}/mcp/p/review`);
    await expect(card).toContainText('alpha (all), beta › whoami');
    await expect(card).toContainText('tool search');
    await page.screenshot({ path: test.info().outputPath('profiles-pane.png'), fullPage: true });

    // The CLI sees what the panel made.
    const listed = JSON.parse((await cli(dock, 'profiles', 'list', '--json')).stdout) as { name: string }[];
    expect(listed.map((p) => p.name)).toEqual(['review']);

    const client = await profileClient(dock, 'review');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['call_tool', 'find_tools']);
    const found = (await client.callTool({
      name: 'find_tools',
      arguments: { query: 'repeat my message back' },
    })) as CallToolResult;
    const names = (JSON.parse((found.content[0] as { text: string }).text) as { name: string }[]).map(
      (t) => t.name,
    );
    expect(names[0]).toBe('alpha__echo');
    expect(names).not.toContain('beta__echo');
    const result = (await client.callTool({
      name: 'call_tool',
      arguments: { name: 'alpha__echo', arguments: { message: 'through a profile' } },
    })) as CallToolResult;
    expect(result.content[0]).toMatchObject({ text: 'Echo: through a profile' });
    await client.close();

    // The audit log shows the real tool.
    await page.getByRole('link', { name: 'Audit' }).click();
    await expect(page.getByRole('main')).toContainText('echo');

    // Connect gives each client the profile's entry.
    await page.getByRole('link', { name: 'Connect' }).click();
    const gateway = page.getByRole('region', { name: /MCP Dock gateway/ });
    await gateway.getByRole('combobox', { name: 'Endpoint' }).selectOption('review');
    await expect(gateway.getByLabel('Gateway snippet', { exact: true })).toContainText(
      `"mcp-dock-review": {\n      "url": "${await dock.httpOrigin()}/mcp/p/review"`,
    );
    await page.getByRole('tab', { name: 'Claude Desktop' }).click();
    await expect(gateway.getByLabel('Gateway snippet', { exact: true })).toContainText(
      '"--profile",\n        "review"',
    );
    await page.screenshot({ path: test.info().outputPath('connect-profile.png'), fullPage: true });

    // Editing in the panel turns search off; deleting takes the endpoint away.
    await page.getByRole('link', { name: 'Profiles' }).click();
    await card.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit profile review' });
    await edit.getByRole('checkbox', { name: /Tool search/ }).uncheck();
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect(card).not.toContainText('tool search');
    const direct = await profileClient(dock, 'review');
    expect((await direct.listTools()).tools.map((t) => t.name).sort()).toEqual([
      'alpha__echo',
      'alpha__whoami',
      'beta__whoami',
    ]);
    await direct.close();

    page.once('dialog', (dialog) => void dialog.accept());
    await card.getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('heading', { name: 'No profiles yet' })).toBeVisible();
  } finally {
    await alpha.close();
    await beta.close();
  }
});
