import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Vitest's global setup: every test's mkdtemp(tmpdir()) lands in one folder per run, removed when
// the run ends, so a test that forgets its cleanup (or dies before it) leaves nothing in /tmp.
// Workers start after this and inherit TMPDIR.
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'mcp-dock-tests-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
