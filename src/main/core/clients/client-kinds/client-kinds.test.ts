import { describe, expect, it } from 'vitest';
import { CLIENT_FACTS, CLIENT_IDS, type ClientId } from '../../../../shared/snippets';
import { clientConfigPath } from '../snippets';
import { CLIENT_KINDS } from './index';

const MAC = { platform: 'darwin', home: '/Users/u', env: {} } as const;
const LINUX = { platform: 'linux', home: '/home/u', env: {} } as const;
const WINDOWS = {
  platform: 'win32',
  home: 'C:\\Users\\u',
  env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' },
} as const;

// Where each client keeps its user-level config, per OS, as its documentation says (the module of
// each client names the page).
const PATHS: Record<ClientId, [mac?: string, linux?: string, windows?: string]> = {
  cursor: ['/Users/u/.cursor/mcp.json', '/home/u/.cursor/mcp.json', 'C:\\Users\\u\\.cursor\\mcp.json'],
  'claude-desktop': [
    '/Users/u/Library/Application Support/Claude/claude_desktop_config.json',
    '/home/u/.config/Claude/claude_desktop_config.json',
    'C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
  ],
  vscode: [
    '/Users/u/Library/Application Support/Code/User/mcp.json',
    '/home/u/.config/Code/User/mcp.json',
    'C:\\Users\\u\\AppData\\Roaming\\Code\\User\\mcp.json',
  ],
  windsurf: [
    '/Users/u/.codeium/windsurf/mcp_config.json',
    '/home/u/.codeium/windsurf/mcp_config.json',
    'C:\\Users\\u\\.codeium\\windsurf\\mcp_config.json',
  ],
  'claude-code': [],
  zed: [
    '/Users/u/.config/zed/settings.json',
    '/home/u/.config/zed/settings.json',
    'C:\\Users\\u\\AppData\\Roaming\\Zed\\settings.json',
  ],
  cline: [
    '/Users/u/Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
    '/home/u/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
    'C:\\Users\\u\\AppData\\Roaming\\Code\\User\\globalStorage\\saoudrizwan.claude-dev\\settings\\cline_mcp_settings.json',
  ],
  'roo-code': [
    '/Users/u/Library/Application Support/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json',
    '/home/u/.config/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json',
    'C:\\Users\\u\\AppData\\Roaming\\Code\\User\\globalStorage\\rooveterinaryinc.roo-cline\\settings\\mcp_settings.json',
  ],
  continue: [
    '/Users/u/.continue/config.yaml',
    '/home/u/.continue/config.yaml',
    'C:\\Users\\u\\.continue\\config.yaml',
  ],
  'gemini-cli': [
    '/Users/u/.gemini/settings.json',
    '/home/u/.gemini/settings.json',
    'C:\\Users\\u\\.gemini\\settings.json',
  ],
  'codex-cli': [
    '/Users/u/.codex/config.toml',
    '/home/u/.codex/config.toml',
    'C:\\Users\\u\\.codex\\config.toml',
  ],
  goose: [
    '/Users/u/.config/goose/config.yaml',
    '/home/u/.config/goose/config.yaml',
    'C:\\Users\\u\\AppData\\Roaming\\Block\\goose\\config\\config.yaml',
  ],
  'lm-studio': [
    '/Users/u/.lmstudio/mcp.json',
    '/home/u/.lmstudio/mcp.json',
    'C:\\Users\\u\\.lmstudio\\mcp.json',
  ],
  opencode: [
    '/Users/u/.config/opencode/opencode.json',
    '/home/u/.config/opencode/opencode.json',
    'C:\\Users\\u\\.config\\opencode\\opencode.json',
  ],
  jetbrains: [],
  kiro: [
    '/Users/u/.kiro/settings/mcp.json',
    '/home/u/.kiro/settings/mcp.json',
    'C:\\Users\\u\\.kiro\\settings\\mcp.json',
  ],
};

describe('the clients', () => {
  it.each(CLIENT_IDS)('%s: its config file on macOS, Linux and Windows', (client) => {
    expect([MAC, LINUX, WINDOWS].map((ctx) => clientConfigPath(client, ctx))).toEqual(
      PATHS[client].length > 0 ? PATHS[client] : [undefined, undefined, undefined],
    );
  });

  it('follow the environment where the client does', () => {
    const env = { XDG_CONFIG_HOME: '/xdg', CODEX_HOME: '/codex' };
    expect(clientConfigPath('zed', { ...LINUX, env })).toBe('/xdg/zed/settings.json');
    expect(clientConfigPath('goose', { ...LINUX, env })).toBe('/xdg/goose/config.yaml');
    expect(clientConfigPath('opencode', { ...MAC, env })).toBe('/xdg/opencode/opencode.json');
    expect(clientConfigPath('vscode', { ...LINUX, env })).toBe('/xdg/Code/User/mcp.json');
    expect(
      clientConfigPath('codex-cli', { ...WINDOWS, env: { ...WINDOWS.env, CODEX_HOME: 'D:\\codex' } }),
    ).toBe('D:\\codex\\config.toml');
    // Zed and Goose on macOS keep ~/.config whatever XDG says.
    expect(clientConfigPath('zed', { ...MAC, env })).toBe('/Users/u/.config/zed/settings.json');
  });

  it.each(CLIENT_IDS)('%s: the panel’s table agrees with the descriptor', (client) => {
    const kind = CLIENT_KINDS[client];
    const facts = CLIENT_FACTS[client];
    expect(kind.id).toBe(client);
    expect(kind.format).toBe(facts.format);
    expect(clientConfigPath(client, LINUX) !== undefined).toBe(facts.writable);
    expect(Boolean(kind.place) && !kind.noFile).toBe(facts.writable);
    expect(kind.url !== undefined).toBe(facts.url);
    // A client without the URL form says why; one without a file says what to do instead.
    expect(facts.url || kind.urlUnavailable !== undefined).toBe(true);
    expect(facts.writable || kind.noFile !== undefined).toBe(true);
    expect(facts.pasteInto !== undefined).toBe(!facts.writable && kind.format !== 'shell');
  });
});
