import { access, chmod, constants, mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataDirError } from '../errors';

export interface DataDirSources {
  flag?: string | undefined;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

// --data-dir wins, then MCP_DOCK_DATA_DIR, then the platform's usual place (the same folder
// Electron's userData would pick for "MCP Dock", so headless and desktop share state).
export function resolveDataDir({
  flag,
  env = process.env,
  platform = process.platform,
  home = homedir(),
}: DataDirSources = {}): string {
  if (flag) return resolve(flag);
  if (env.MCP_DOCK_DATA_DIR) return resolve(env.MCP_DOCK_DATA_DIR);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'MCP Dock');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'MCP Dock');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'MCP Dock');
}

// Creates the folder owner-only, or checks an existing one is a writable directory. Existing
// folders are tightened to 0700 because they will hold keys.
export async function prepareDataDir(dir: string): Promise<string> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const info = await stat(dir);
    if (!info.isDirectory()) throw new DataDirError(dir, 'a file is in the way, not a directory');
    await access(dir, constants.W_OK | constants.R_OK);
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) await chmod(dir, 0o700);
  } catch (error) {
    if (error instanceof DataDirError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'a file is in the way, not a directory'
          : (error as Error).message;
    throw new DataDirError(dir, reason, { cause: error });
  }
  return dir;
}
