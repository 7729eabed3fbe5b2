import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { CliIo } from './io';
import { isSupportedNode, quietOidcRuntimeWarning } from './quiet-runtime-warning';
import { runCommand } from './run';

// Its own file, so oidc-provider is first loaded by the command under test, as in a real run.
describe('oidc-provider’s runtime warning', () => {
  it('is not printed by CLI commands on the Node versions MCP Dock supports', async () => {
    const warn = vi.spyOn(console, 'warn');
    const err: string[] = [];
    const io: CliIo = {
      out: () => undefined,
      err: (line) => err.push(line),
      signal: new AbortController().signal,
      env: {},
    };
    const dataDir = await mkdtemp(join(tmpdir(), 'mcp-dock-cli-warn-'));
    expect(await runCommand('clients', ['list', '--data-dir', dataDir], io)).toBe(0);
    expect(err).toEqual([]);
    expect(warn.mock.calls.flat().join('\n')).not.toMatch(/Unsupported runtime/);
    // Other warnings still get through.
    console.warn('something else');
    expect(warn).toHaveBeenLastCalledWith('something else');
    warn.mockRestore();
  });

  it('drops only that line, only once, and only on supported versions', () => {
    const line = 'oidc-provider WARNING: Unsupported runtime. Use Node.js v22.x LTS, or a later LTS release.';
    const seen: unknown[][] = [];
    const target = { warn: (...args: unknown[]) => void seen.push(args) };
    quietOidcRuntimeWarning(target, '20.19.0');
    target.warn(`\x1b[31;1m${line}\x1b[0m`);
    target.warn('(node) another warning', 42);
    target.warn(line);
    expect(seen).toEqual([['(node) another warning', 42], [line]]);

    const old: unknown[][] = [];
    const oldTarget = { warn: (...args: unknown[]) => void old.push(args) };
    quietOidcRuntimeWarning(oldTarget, '20.18.3');
    oldTarget.warn(line);
    expect(old).toEqual([[line]]);
    expect([isSupportedNode('20.19.0'), isSupportedNode('22.1.0'), isSupportedNode('18.20.4')]).toEqual([
      true,
      true,
      false,
    ]);
  });
});
