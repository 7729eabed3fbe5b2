import { base64Json, commandEntry, type ClientKind } from './client-kind';

// Cursor: ~/.cursor/mcp.json on every OS, `mcpServers` by name; stdio {command, args, env} or
// remote {url} (OAuth on first connect).
// Format, location: https://cursor.com/docs/mcp
// Install link: https://cursor.com/docs/mcp/install-links (cursor://anysphere.cursor-deeplink/mcp/install?name=&config=<base64 JSON>)
export const cursor: ClientKind = {
  id: 'cursor',
  format: 'json',
  place: { kind: 'json-map', path: ['mcpServers'] },
  configPath: (p) => p.join(p.home, '.cursor', 'mcp.json'),
  stdio: (_name, launch) => commandEntry(launch),
  url: (_name, url) => ({ url }),
  installLink: (name, _form, value) =>
    `cursor://anysphere.cursor-deeplink/mcp/install?name=${encodeURIComponent(name)}&config=${encodeURIComponent(base64Json(value))}`,
};
