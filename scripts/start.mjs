// `npm start`: build, then run the Electron app; where Electron cannot run (no binary, no
// display) say so in one line and run headless mode instead, which prints the URL to open.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { findDisplay, findElectronBinary } = createRequire(import.meta.url)('./electron-binary.cjs');
const args = process.argv.slice(2);

const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
  {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
if (build.status !== 0) {
  console.error(
    'mcp-dock: the build failed (see above); fix it, or run `npm run build` for the full output.',
  );
  process.exit(build.status ?? 1);
}

const binary = findElectronBinary();
const display = findDisplay();
let child;
if (binary.ok && display.ok) {
  child = spawn(binary.path, [root, ...args], { cwd: root, stdio: 'inherit' });
} else {
  console.log(
    `MCP Dock: ${binary.ok ? display.reason : binary.reason}, so it starts in headless mode instead.`,
  );
  child = spawn(process.execPath, [join(root, 'out/main/cli.js'), 'serve', ...args], {
    cwd: root,
    stdio: 'inherit',
  });
}
// Ctrl-C reaches the child through the terminal; we only wait for it and pass on its exit code.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
