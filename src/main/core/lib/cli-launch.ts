import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StdioLaunch } from '../../../shared/snippets';

// This install's CLI: cli.js beside the bundle that runs core (out/main), run by this Node, or by
// Electron's binary acting as Node; the `mcp-dock` on PATH when running from sources.
export function defaultCliLaunch(bundleDir: string): StdioLaunch {
  // Core sits in out/main or in a chunk below it, depending on how the bundler split it.
  const script = [join(bundleDir, 'cli.js'), join(bundleDir, '..', 'cli.js')].find((f) => existsSync(f));
  if (!script) return { command: 'mcp-dock', args: [] };
  return process.versions.electron
    ? { command: process.execPath, args: [script], env: { ELECTRON_RUN_AS_NODE: '1' } }
    : { command: process.execPath, args: [script] };
}
