import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';
import type { SnippetContext } from '../snippet-context';

// The folders client configs live under, for the OS asked about (which need not be this one:
// tests and the docs table ask for all three).
export interface ClientPaths {
  platform: NodeJS.Platform;
  home: string;
  env: NodeJS.ProcessEnv;
  join: (...parts: string[]) => string;
  // Per-user application settings: ~/Library/Application Support, %APPDATA%, or
  // $XDG_CONFIG_HOME (~/.config).
  appConfig: string;
  // $XDG_CONFIG_HOME or ~/.config on every OS, for tools that use the XDG layout everywhere.
  xdgConfig: string;
  // %APPDATA% (Windows only; elsewhere the same as appConfig).
  appData: string;
  // VS Code's user folder, where its extensions keep their global storage.
  vscodeUser: string;
}

export function clientPaths(ctx: SnippetContext = {}): ClientPaths {
  const platform = ctx.platform ?? process.platform;
  const home = ctx.home ?? homedir();
  const env = ctx.env ?? process.env;
  const join = platform === 'win32' ? win32.join : posix.join;
  const appData = env.APPDATA ?? join(home, 'AppData', 'Roaming');
  const xdgConfig = env.XDG_CONFIG_HOME ?? join(home, '.config');
  const appConfig =
    platform === 'darwin'
      ? join(home, 'Library', 'Application Support')
      : platform === 'win32'
        ? appData
        : xdgConfig;
  return {
    platform,
    home,
    env,
    join,
    appConfig,
    xdgConfig,
    appData: platform === 'win32' ? appData : appConfig,
    vscodeUser: join(appConfig, 'Code', 'User'),
  };
}
