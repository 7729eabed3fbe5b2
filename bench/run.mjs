// `npm run bench`: builds the app (the UI section needs out/), bundles the TypeScript benchmark
// with rolldown (the bundler under Vite; there is no TS runner in this project) into
// node_modules/.cache/mcp-dock-bench/, then runs bench/main.ts, which runs each section in its
// own process and writes bench/RESULTS.md and bench/results.json (partial and --quick runs write
// theirs next to the bundle instead).
//
//   npm run bench                       everything (about 8 minutes on a 2-core machine)
//   npm run bench -- --quick            a fast smoke run (short rounds; not for the record)
//   npm run bench -- --only pii,audit   some sections (gateway, pii, oauth, containers, audit, ui, cli,
//                                       egress, remotes, tool-search)
//   npm run bench -- --no-build         reuse out/ as it is
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH);
// Outside the source tree (under node_modules/.cache, like the test image's cache), so ESLint and
// Prettier never see the bundle.
const OUT = join(ROOT, 'node_modules', '.cache', 'mcp-dock-bench');
const args = process.argv.slice(2);

if (!args.includes('--no-build')) {
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

// Our TypeScript (bench, src, test-support) is bundled; packages stay external and load from
// node_modules as they do in the built app. `__dirname` becomes each source file's own folder,
// so code that finds files next to itself (test-support/test-image.ts) works from the bundle.
const isPackage = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0');
const sourceDirname = {
  name: 'source-dirname',
  transform(code, id) {
    if (id.includes('node_modules') || !/\.[cm]?tsx?$/.test(id) || !code.includes('__dirname')) return null;
    return { code: code.replace(/\b__dirname\b/g, JSON.stringify(dirname(id))), map: null };
  },
};
const sections = readdirSync(join(BENCH, 'sections')).filter((f) => f.endsWith('.ts'));
await rm(OUT, { recursive: true, force: true });
await build({
  input: {
    main: join(BENCH, 'main.ts'),
    'core-host': join(BENCH, 'core-host.ts'),
    'sdk-echo-server': join(BENCH, 'sdk-echo-server.ts'),
    ...Object.fromEntries(sections.map((f) => [`sections/${f.slice(0, -3)}`, join(BENCH, 'sections', f)])),
  },
  platform: 'node',
  external: isPackage,
  plugins: [sourceDirname],
  logLevel: 'warn',
  output: {
    dir: OUT,
    format: 'cjs',
    entryFileNames: '[name].cjs',
    chunkFileNames: 'chunks/[name]-[hash].cjs',
  },
});
if (!existsSync(join(OUT, 'main.cjs'))) throw new Error('bundling the benchmark produced no main.cjs');

// The sections' data directories and logs go in one folder, removed when the run ends.
const scratch = mkdtempSync(join(tmpdir(), 'mcp-dock-bench-'));
const child = spawn(process.execPath, [join(OUT, 'main.cjs'), ...args], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: scratch },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  rmSync(scratch, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
