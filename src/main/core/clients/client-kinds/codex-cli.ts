import { commandEntry, type ClientKind } from './client-kind';

// Codex CLI: $CODEX_HOME/config.toml ($CODEX_HOME defaults to ~/.codex, %USERPROFILE%\.codex on
// Windows), one `[mcp_servers.NAME]` table per server; stdio `command`, `args`, `env` or
// Streamable HTTP `url`, signed in with `codex mcp login NAME`.
// Format, location: https://github.com/openai/codex/blob/main/docs/config.md#mcp_servers
export const codexCli: ClientKind = {
  id: 'codex-cli',
  format: 'toml',
  place: { kind: 'toml-table', path: ['mcp_servers'] },
  configPath: (p) => p.join(p.env.CODEX_HOME ?? p.join(p.home, '.codex'), 'config.toml'),
  stdio: (_name, launch) => commandEntry(launch),
  url: (_name, url) => ({ url }),
  signIn: (name) =>
    `Codex signs in with OAuth when you run \`codex mcp login ${name}\` once: approve it in MCP Dock (Allow / Deny).`,
};
