import { shell } from 'electron';

// Pages we may hand to the user's browser: documentation and the clients we write configs for.
// Anything else (file:, custom schemes, unknown hosts) is dropped: a compromised page must not be
// able to launch programs through URL handlers.
export const EXTERNAL_HOST_ALLOWLIST = [
  'modelcontextprotocol.io',
  'github.com',
  'docs.docker.com',
  'www.docker.com',
  'docs.cursor.com',
  'code.visualstudio.com',
  'docs.anthropic.com',
  'podman.io',
] as const;

// The MCP install links of the clients we write snippets for (see core/clients/client-kinds).
const INSTALL_LINK_PREFIXES = [
  'cursor://anysphere.cursor-deeplink/mcp/install?',
  'vscode:mcp/install?',
  'lmstudio://add_mcp?',
  'goose://extension?',
  'https://kiro.dev/launch/mcp/add?',
] as const;

export function isAllowedExternalUrl(url: string): boolean {
  if (INSTALL_LINK_PREFIXES.some((prefix) => url.startsWith(prefix))) return true;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  if (parsed.username || parsed.password) return false;
  return (EXTERNAL_HOST_ALLOWLIST as readonly string[]).includes(parsed.hostname);
}

export async function openExternalSafely(url: string): Promise<boolean> {
  if (!isAllowedExternalUrl(url)) return false;
  await shell.openExternal(url);
  return true;
}
