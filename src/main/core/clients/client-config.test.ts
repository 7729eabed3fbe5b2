import { mkdir, mkdtemp, readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'jsonc-parser';
import { addToClientConfig, hasClientEntry, removeFromClientConfig } from './client-config';

const launch = { command: 'docker', args: ['exec', '-i', 'mcp-dock-seq', 'srv'] };
const dir = () => mkdtemp(join(tmpdir(), 'mcp-dock-client-'));

describe('client config editing', () => {
  it('creates the file (and its folder) when the client has none yet', async () => {
    const file = join(await dir(), '.cursor', 'mcp.json');
    const change = await addToClientConfig('cursor', file, 'seq', launch);
    expect(change).toEqual({ path: file, changed: true });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ mcpServers: { seq: launch } });
    expect(await hasClientEntry('cursor', file, 'seq')).toBe(true);
  });

  it('keeps comments, formatting, other entries and the file mode; backs up the old file', async () => {
    const d = await dir();
    const file = join(d, 'mcp.json');
    const original = `// my VS Code MCP servers
{
  "inputs": [],
  "servers": {
    // the one I wrote by hand
    "mine": { "type": "stdio", "command": "node", "args": ["x.js"] },
  },
}
`;
    await writeFile(file, original);
    await chmod(file, 0o640);
    const change = await addToClientConfig('vscode', file, 'seq', launch);
    expect(change.backup).toBe(`${file}.mcp-dock-backup`);
    expect(await readFile(change.backup!, 'utf8')).toBe(original);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('// my VS Code MCP servers');
    expect(text).toContain('// the one I wrote by hand');
    expect(parse(text)).toEqual({
      inputs: [],
      servers: {
        mine: { type: 'stdio', command: 'node', args: ['x.js'] },
        seq: { type: 'stdio', ...launch },
      },
    });
    expect((await stat(file)).mode & 0o777).toBe(0o640);

    // Adding again is a no-op; removing takes out only our entry.
    expect((await addToClientConfig('vscode', file, 'seq', launch)).changed).toBe(false);
    await removeFromClientConfig('vscode', file, 'seq');
    const after = await readFile(file, 'utf8');
    expect(after).toContain('// the one I wrote by hand');
    expect(parse(after)).toEqual({
      inputs: [],
      servers: { mine: { type: 'stdio', command: 'node', args: ['x.js'] } },
    });
    expect(await hasClientEntry('vscode', file, 'seq')).toBe(false);
  });

  it('refuses a broken file and leaves it exactly as it was', async () => {
    const file = join(await dir(), 'claude_desktop_config.json');
    await writeFile(file, '{ "mcpServers": { "a": ');
    await expect(addToClientConfig('claude-desktop', file, 'seq', launch)).rejects.toMatchObject({
      code: 'CLIENT_CONFIG_INVALID',
      message: /not valid JSON .*line 1/,
    });
    expect(await readFile(file, 'utf8')).toBe('{ "mcpServers": { "a": ');
    await writeFile(file, '[1, 2]');
    await expect(addToClientConfig('claude-desktop', file, 'seq', launch)).rejects.toMatchObject({
      message: /top level is not a JSON object/,
    });
  });

  it('waits for another writer’s lock, and takes over a stale one', async () => {
    const d = await dir();
    const file = join(d, 'mcp_config.json');
    await mkdir(d, { recursive: true });
    await writeFile(`${file}.mcp-dock.lock`, '');
    await expect(addToClientConfig('windsurf', file, 'seq', launch)).rejects.toMatchObject({
      code: 'CLIENT_CONFIG_BUSY',
    });
    const { utimes } = await import('node:fs/promises');
    const old = new Date(Date.now() - 60_000);
    await utimes(`${file}.mcp-dock.lock`, old, old);
    await expect(addToClientConfig('windsurf', file, 'seq', launch)).resolves.toMatchObject({
      changed: true,
    });
  });

  it('runs concurrent edits one after the other without losing any', async () => {
    const file = join(await dir(), 'mcp.json');
    await Promise.all(['a', 'b', 'c', 'd'].map((name) => addToClientConfig('cursor', file, name, launch)));
    expect(
      Object.keys((JSON.parse(await readFile(file, 'utf8')) as { mcpServers: object }).mcpServers).sort(),
    ).toEqual(['a', 'b', 'c', 'd']);
  });

  it('sends Claude Code users to its own command', async () => {
    await expect(addToClientConfig('claude-code', '/x', 'seq', launch)).rejects.toMatchObject({
      code: 'CLIENT_UNSUPPORTED',
    });
  });
});
