import type { StdioLaunch } from '../../../../shared/snippets';
import type { ClientKind } from './client-kind';

// Goose: config.yaml (macOS/Linux ~/.config/goose/, $XDG_CONFIG_HOME/goose/ on Linux, Windows
// %APPDATA%\Block\goose\config\), `extensions:` by id; stdio {name, type: stdio, cmd, args, envs,
// enabled, timeout} or {type: streamable_http, uri} (Goose signs in with OAuth on a 401).
// Format: https://block.github.io/goose/docs/getting-started/using-extensions ("Config Entry")
// Location: https://block.github.io/goose/docs/guides/config-files
// Install link: same page, "Deeplinks": goose://extension?cmd=&arg=…&id=&name=&description= for
// the commands it allows (jbang, npx, uvx, goosed, docker), ?url=&type=streamable_http for URLs.
const DEEPLINK_COMMANDS = ['jbang', 'npx', 'uvx', 'goosed', 'docker'];
const TIMEOUT_SECONDS = 300;
const description = (name: string) => `${name}, added by MCP Dock`;

function deepLink(name: string, params: [string, string][]): string {
  const all: [string, string][] = [
    ...params,
    ['timeout', String(TIMEOUT_SECONDS)],
    ['id', name],
    ['name', name],
    ['description', description(name)],
  ];
  return `goose://extension?${all.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}

export const goose: ClientKind = {
  id: 'goose',
  format: 'yaml',
  place: { kind: 'yaml-map', path: ['extensions'] },
  configPath: (p) =>
    p.platform === 'win32'
      ? p.join(p.appData, 'Block', 'goose', 'config', 'config.yaml')
      : p.join(p.platform === 'darwin' ? p.join(p.home, '.config') : p.xdgConfig, 'goose', 'config.yaml'),
  stdio: (name, launch: StdioLaunch) => ({
    name,
    type: 'stdio',
    cmd: launch.command,
    args: launch.args,
    envs: launch.env ?? {},
    enabled: true,
    timeout: TIMEOUT_SECONDS,
    description: description(name),
  }),
  url: (name, url) => ({
    name,
    type: 'streamable_http',
    uri: url,
    enabled: true,
    timeout: TIMEOUT_SECONDS,
    description: description(name),
  }),
  installLink: (name, form, _value, entry) => {
    if (form === 'url')
      return deepLink(name, [
        ['url', entry.url!],
        ['type', 'streamable_http'],
      ]);
    const launch = entry.launch!;
    // The link has no field for environment variables, and Goose refuses other commands.
    if (!DEEPLINK_COMMANDS.includes(launch.command) || launch.env) return undefined;
    return deepLink(name, [['cmd', launch.command], ...launch.args.map((a): [string, string] => ['arg', a])]);
  },
};
