import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ensureTestImage } from '../test-support/test-image';
import type { Page } from '@playwright/test';
import { expect, openApp, test } from './fixtures/dock';

// What a user does in the Servers pane (its Containers section) to add one of the test image's servers.
async function addServerWithForm(page: Page, name: string, image: string): Promise<void> {
  await page.getByRole('button', { name: 'Add server' }).click();
  const form = page.getByRole('form', { name: 'Add a server' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Image', { exact: true }).fill(image);
  await form.getByLabel('MCP command (stdio)').fill('mcp-server-sequential-thinking');
  await form.getByRole('button', { name: 'Add server' }).click();
  await expect(form).toBeHidden();
}

test('add a server, start it from the Containers pane, copy its Cursor snippet, and the snippet works', async ({
  dock,
}) => {
  const docker = new Docker({ socketPath: dock.engineSocket });
  const image = await ensureTestImage(docker);
  const name = `e2e-${randomBytes(3).toString('hex')}`;
  const { page } = dock;
  try {
    await openApp(dock);
    await addServerWithForm(page, name, image);

    const card = page.getByRole('article', { name, exact: true });
    await expect(card.getByLabel(`${name} state`)).toHaveText('not created');
    await card.getByRole('button', { name: 'Start' }).click();
    await expect(card.getByLabel(`${name} state`)).toHaveText('running', { timeout: 30_000 });
    await expect(card.getByRole('list', { name: `${name} tools` })).toContainText('sequentialthinking', {
      timeout: 60_000,
    });

    await page.getByRole('link', { name: 'Connect' }).click();
    await page.getByRole('combobox', { name: 'Server' }).selectOption(name);
    await page.getByRole('tab', { name: 'Cursor' }).click();
    await expect(page.getByRole('region', { name: 'Cursor snippet' })).toContainText(name);
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Copied', exact: true })).toBeVisible();
    const copied = JSON.parse(await dock.readClipboard()) as {
      mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
    };
    const entry = copied.mcpServers[name]!;
    expect(entry.command).toBe('docker');

    // Exactly what Cursor would do with that entry: spawn it and speak MCP over its stdio.
    const transport = new StdioClientTransport({
      command: entry.command,
      args: entry.args,
      env: { PATH: process.env.PATH ?? '', ...entry.env },
    });
    const client = new Client({ name: 'e2e-as-cursor', version: '0' });
    await client.connect(transport);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('sequentialthinking');
    await client.close();

    await page.getByRole('link', { name: 'Servers', exact: true }).click();
    await card.getByRole('button', { name: 'Stop' }).click();
    await expect(card.getByLabel(`${name} state`)).toHaveText('stopped', { timeout: 20_000 });
  } finally {
    await docker
      .getContainer(`mcp-dock-${name}`)
      .remove({ force: true })
      .catch(() => undefined);
  }
});

test('a name clash offers adopt, rename and replace in the card', async ({ dock }) => {
  const docker = new Docker({ socketPath: dock.engineSocket });
  const image = await ensureTestImage(docker);
  const name = `e2e-${randomBytes(3).toString('hex')}`;
  const foreign = await docker.createContainer({
    name: `mcp-dock-${name}`,
    Image: image,
    Cmd: ['tail', '-f', '/dev/null'],
  });
  const { page } = dock;
  try {
    await openApp(dock);
    await addServerWithForm(page, name, image);
    const card = page.getByRole('article', { name, exact: true });
    await card.getByRole('button', { name: 'Start' }).click();
    await expect(card.getByRole('alert')).toContainText('already exists and was not created by MCP Dock');
    await card.getByRole('button', { name: 'Use another name' }).click();
    await expect(card.getByLabel(`${name} state`)).toHaveText('running', { timeout: 30_000 });
    await expect(card).toContainText(`container mcp-dock-${name}-2`);
    expect((await foreign.inspect()).State.Status).toBe('created');
  } finally {
    await foreign.remove({ force: true }).catch(() => undefined);
    await docker
      .getContainer(`mcp-dock-${name}-2`)
      .remove({ force: true })
      .catch(() => undefined);
  }
});
