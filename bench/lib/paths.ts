import { join } from 'node:path';

// The bundler writes this file's own folder into the bundle (see run.mjs), so these stay true
// wherever the bundle lands.
export const BENCH_DIR = join(__dirname, '..');
export const ROOT = join(BENCH_DIR, '..');
// Where run.mjs puts the bundle; quick and partial runs write their reports here too.
export const BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'mcp-dock-bench');
export const CLI = join(ROOT, 'out', 'main', 'cli.js');
export const RENDERER_DIR = join(ROOT, 'out', 'renderer');
