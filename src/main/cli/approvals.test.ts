import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallApprovals } from '../core/gateway/call-approvals';
import { approvalControlRoutes } from '../core/gateway/control-routes';
import { writeAppOrigin } from '../core/http/app-origin-file';
import { Router } from '../core/http/router';
import { approvals as approvalsCommand } from './commands/approvals';
import { tools as toolsCommand } from './commands/tools';

const TOKEN = 'c'.repeat(43);
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

// The app's control route on a real loopback server, and its record in a data directory.
async function app() {
  const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-approvals-'));
  const held = new CallApprovals({ timeoutMs: () => 60_000, audit: async () => undefined });
  const router = new Router().add(approvalControlRoutes(held, TOKEN)).open();
  const server = createServer((req, res) => void router.handle(req, res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  await writeAppOrigin(dataDir, origin, TOKEN);
  return { dataDir, held, origin };
}

async function run(command: typeof approvalsCommand, argv: string[]) {
  const lines: string[] = [];
  const code = await command(argv, {
    out: (l) => lines.push(l),
    err: (l) => lines.push(`err: ${l}`),
    signal: new AbortController().signal,
    env: { ...process.env },
  });
  return { code, out: lines.join('\n') };
}

const request = {
  server: 'files',
  tool: 'rm',
  clientId: 'cursor-1',
  clientName: 'Cursor',
  userId: 'me',
  arguments: { path: '<PERSON>' },
};

describe('mcp-dock approvals', () => {
  it('lists held calls from the running app, and allows or denies them by id', async () => {
    const { dataDir, held } = await app();
    expect((await run(approvalsCommand, ['list', '--data-dir', dataDir])).out).toBe(
      'No calls wait for approval.',
    );
    const first = held.ask(request);
    const second = held.ask({ ...request, tool: 'mv' });
    await vi.waitFor(() => expect(held.list()).toHaveLength(2));

    const listed = JSON.parse(
      (await run(approvalsCommand, ['list', '--json', '--data-dir', dataDir])).out,
    ) as { id: string; tool: string }[];
    expect(listed.map((c) => c.tool)).toEqual(['rm', 'mv']);
    expect(listed[0]).toMatchObject({
      server: 'files',
      client_id: 'cursor-1',
      arguments: { path: '<PERSON>' },
    });
    expect(Object.keys(listed[0]!)).toEqual(
      expect.arrayContaining(['id', 'server', 'tool', 'client_id', 'arguments', 'expires_at']),
    );
    const text = (await run(approvalsCommand, ['list', '--data-dir', dataDir])).out;
    expect(text).toContain(`${listed[0]!.id}  files rm  from Cursor  until `);
    expect(text).toContain('  arguments: {"path":"<PERSON>"}');

    expect(
      (await run(approvalsCommand, ['allow', listed[0]!.id, '--always', '--data-dir', dataDir])).out,
    ).toBe('Allowed files rm for Cursor, from now on.');
    await expect(first).resolves.toMatchObject({ allowed: true, by: 'cli', always: true });
    expect((await run(approvalsCommand, ['deny', listed[1]!.id, '--data-dir', dataDir])).out).toBe(
      'Denied files mv for Cursor.',
    );
    await expect(second).resolves.toMatchObject({ allowed: false, by: 'cli' });

    await expect(run(approvalsCommand, ['deny', listed[1]!.id, '--data-dir', dataDir])).rejects.toMatchObject(
      {
        code: 'APPROVAL_NOT_FOUND',
      },
    );
  });

  it('says so without an app, and refuses a wrong token and bad usage', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'mcp-dock-approvals-none-'));
    await expect(run(approvalsCommand, ['list', '--data-dir', empty])).rejects.toMatchObject({
      code: 'APP_NOT_RUNNING',
      message: expect.stringContaining('calls are held only while the app runs'),
    });
    await expect(run(approvalsCommand, ['allow', '--data-dir', empty])).rejects.toThrow(
      'approvals allow needs an ID',
    );
    await expect(run(approvalsCommand, ['list', '--always'])).rejects.toThrow(
      '--always goes with approvals allow',
    );

    const { dataDir, origin } = await app();
    await writeAppOrigin(dataDir, origin, 'x'.repeat(43));
    await expect(run(approvalsCommand, ['list', '--data-dir', dataDir])).rejects.toThrow(
      /refused the request \(401: the control token of the running app is required\)/,
    );
    const res = await fetch(`${origin}/control/approvals/abc`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: '{"decision":"maybe"}',
    });
    expect(res.status).toBe(400);
  });
});

describe('mcp-dock tools policy', () => {
  it('writes a tool’s and a server’s call policy to gateway.json, and takes it away', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-policy-'));
    const file = () =>
      readFile(join(dataDir, 'gateway.json'), 'utf8').then((t) => JSON.parse(t) as { callPolicies: unknown });
    expect((await run(toolsCommand, ['policy', 'files', 'rm', 'deny', '--data-dir', dataDir])).out).toBe(
      'Calls of files rm: deny.',
    );
    expect((await run(toolsCommand, ['policy', 'files', '*', 'ask', '--data-dir', dataDir])).out).toBe(
      'Calls of the tools of files: ask.',
    );
    expect((await file()).callPolicies).toEqual({ files: { default: 'ask', tools: { rm: 'deny' } } });
    expect((await run(toolsCommand, ['policy', 'files', 'rm', 'unset', '--data-dir', dataDir])).out).toBe(
      "Took the call policy of files rm away (the server's default, ask, applies).",
    );
    await run(toolsCommand, ['policy', 'files', '*', 'unset', '--data-dir', dataDir]);
    expect((await file()).callPolicies).toEqual({});
    await expect(
      run(toolsCommand, ['policy', 'files', 'rm', 'maybe', '--data-dir', dataDir]),
    ).rejects.toThrow('expected allow, ask, deny or unset, got "maybe"');
    await expect(run(toolsCommand, ['policy', 'files', '--data-dir', dataDir])).rejects.toMatchObject({
      code: 'USAGE',
    });
  });
});
