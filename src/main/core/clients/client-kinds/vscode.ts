import { commandEntry, type ClientKind } from './client-kind';

// VS Code: the user profile's mcp.json (macOS ~/Library/Application Support/Code/User/,
// Windows %APPDATA%\Code\User\, Linux ~/.config/Code/User/), `servers` by name; stdio
// {type: "stdio", command, args, env} or {type: "http", url} (OAuth on first connect).
// Format, location: https://code.visualstudio.com/docs/copilot/chat/mcp-servers
// Install link: same page, "vscode:mcp/install?{json}" (name plus the entry)
export const vscode: ClientKind = {
  id: 'vscode',
  format: 'json',
  place: { kind: 'json-map', path: ['servers'] },
  configPath: (p) => p.join(p.vscodeUser, 'mcp.json'),
  stdio: (_name, launch) => ({ type: 'stdio', ...commandEntry(launch) }),
  url: (_name, url) => ({ type: 'http', url }),
  installLink: (name, _form, value) =>
    `vscode:mcp/install?${encodeURIComponent(JSON.stringify({ name, ...(value as object) }))}`,
};
