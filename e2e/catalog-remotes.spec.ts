import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { fillerEntries, startRegistryFixture } from '../test-support/registry-fixture';
import { startRemoteMcpServer } from '../test-support/remote-mcp-server';
import { expect, openApp, test, type Dock } from './fixtures/dock';

const CLI = join(__dirname, '..', 'out/main/cli.js');

// An MCP client through the app's gateway, as Claude Desktop runs it (gateway --stdio).
async function gatewayClient(dock: Dock): Promise<Client> {
  const client = new Client({ name: 'e2e-catalog', version: '0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [
        CLI,
        'gateway',
        '--stdio',
        '--url',
        `${await dock.httpOrigin()}/mcp`,
        '--data-dir',
        dock.dataDir,
      ],
      env: { PATH: process.env.PATH ?? '' },
      stderr: 'pipe',
    }),
  );
  return client;
}

test('finds a server in a registry, installs it from the Catalog and calls it through /mcp', async ({
  dock,
}) => {
  const upstream = await startRemoteMcpServer({ kind: 'streamable' });
  const registry = await startRegistryFixture([
    {
      name: 'com.example/echo',
      title: 'Echo',
      description: 'Says back what it is told, hosted',
      version: '1.0.0',
      remotes: [{ type: 'streamable-http', url: upstream.url }],
    },
    ...fillerEntries(60),
  ]);
  const { page } = dock;
  try {
    await openApp(dock);
    await page.getByRole('link', { name: 'Catalog' }).click();
    await page.getByRole('combobox', { name: 'Registry' }).fill(registry.url);
    await page.getByRole('searchbox', { name: 'Search the registry' }).fill('says back');
    await page.getByRole('button', { name: 'Search' }).click();
    const card = page.getByRole('article', { name: 'Echo' });
    await expect(card).toContainText('com.example/echo');
    await card.getByRole('button', { name: 'Install com.example/echo' }).click();
    const form = card.getByRole('form', { name: 'Install com.example/echo' });
    await expect(form.getByLabel('Name here')).toHaveValue('echo');
    await form.getByRole('button', { name: 'Install' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'Installed com.example/echo as echo' }),
    ).toBeVisible();

    await page.getByRole('link', { name: 'Servers', exact: true }).click();
    const remote = page.getByRole('article', { name: 'echo', exact: true });
    await expect(remote.getByLabel('echo state')).toHaveText('connected', { timeout: 20_000 });
    await expect(remote.getByRole('list', { name: 'echo tools' })).toContainText('echo');

    const client = await gatewayClient(dock);
    const result = (await client.callTool({
      name: 'echo__echo',
      arguments: { message: 'from the catalog' },
    })) as CallToolResult;
    expect(result.content[0]).toMatchObject({ text: 'Echo: from the catalog' });
    await client.close();
  } finally {
    await registry.close();
    await upstream.close();
  }
});

// A second MCP Dock stands in for a hosted server behind OAuth (GitHub, Linear…): its /mcp wants
// a token from its own authorization server.
async function startPeer(): Promise<{ child: ChildProcess; url: string; httpOrigin: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-e2e-peer-'));
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--json'], {
    env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`peer exited with ${code}`)));
  });
  return { child, ...(JSON.parse(line) as { url: string; httpOrigin: string }) };
}

test('adds a remote server behind OAuth, signs in from its card, and calls it through /mcp', async ({
  dock,
}) => {
  const peer = await startPeer();
  const { page } = dock;
  try {
    await openApp(dock);
    // The peer's panel is open in the same browser: its consent page then asks right there.
    const peerPanel = await page.context().newPage();
    await peerPanel.goto(peer.url);
    await expect(peerPanel.getByRole('heading', { name: 'Servers', exact: true })).toBeVisible();

    await page.bringToFront();
    await page.getByRole('button', { name: 'Add remote server' }).click();
    const form = page.getByRole('form', { name: 'Add remote server' });
    await form.getByLabel('Name').fill('peer');
    await form.getByLabel('URL').fill(`${peer.httpOrigin}/mcp`);
    await form.getByLabel('Authentication').selectOption('oauth');
    await form.getByLabel(/Scopes/).fill('mcp.access mcp:servers offline_access');
    await form.getByRole('button', { name: 'Add remote server' }).click();
    const card = page.getByRole('article', { name: 'peer', exact: true });
    await expect(card.getByLabel('peer state')).toHaveText('sign-in needed');

    const popup = page.waitForEvent('popup');
    await card.getByRole('button', { name: 'Sign in' }).click();
    const signIn = await popup;
    await signIn.getByRole('button', { name: 'Allow' }).click();
    await expect(signIn.getByRole('heading', { name: 'Signed in to peer' })).toBeVisible();

    await expect(card.getByLabel('peer state')).toHaveText('connected', { timeout: 20_000 });
    await expect(card).toContainText('OAuth: signed in');
    await expect(card.getByRole('list', { name: 'peer tools' })).toContainText('test_encryption');

    const client = await gatewayClient(dock);
    const result = (await client.callTool({
      name: 'peer__test_encryption',
      arguments: { text: 'through two gateways' },
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    await client.close();
  } finally {
    peer.child.kill('SIGINT');
  }
});
