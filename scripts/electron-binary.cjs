// Finds Electron's binary without require('electron'): that call downloads the binary when it is
// missing (and throws where nothing can be downloaded). Shared by `npm start` and the e2e fixture.
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** @returns {{ ok: true, path: string } | { ok: false, reason: string }} */
function findElectronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const exe = join(
      process.env.ELECTRON_OVERRIDE_DIST_PATH,
      process.platform === 'win32' ? 'electron.exe' : 'electron',
    );
    if (existsSync(exe)) return { ok: true, path: exe };
  }
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: 'the electron package is not installed (run npm ci)' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { ok: false, reason: "Electron's binary is not installed (its download was blocked or skipped)" };
  }
  const exe = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(exe)) return { ok: false, reason: `Electron's binary is missing at ${exe}` };
  return { ok: true, path: exe };
}

/** @returns {{ ok: true } | { ok: false, reason: string }} */
function findDisplay(env = process.env) {
  if (process.platform !== 'linux') return { ok: true };
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return { ok: true };
  return { ok: false, reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
}

module.exports = { findElectronBinary, findDisplay };
