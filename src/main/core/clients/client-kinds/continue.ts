import { commandEntry, type ClientKind } from './client-kind';

// Continue: ~/.continue/config.yaml (Windows %USERPROFILE%\.continue\config.yaml), `mcpServers:`
// a list of blocks that name themselves: {name, type: stdio, command, args, env}. Its remote
// blocks ({type: streamable-http, url}) are documented without an OAuth sign-in, so MCP Dock
// gives it the stdio relay. A config.yaml needs name, version and schema at its top.
// Format: https://docs.continue.dev/customize/deep-dives/mcp (continuedev/continue docs/)
// Location: https://docs.continue.dev/customize/deep-dives/configuration
export const continueDev: ClientKind = {
  id: 'continue',
  format: 'yaml',
  place: { kind: 'yaml-list', path: ['mcpServers'], key: 'name' },
  configPath: (p) => p.join(p.home, '.continue', 'config.yaml'),
  newFile: 'name: Local Config\nversion: 1.0.0\nschema: v1\n',
  stdio: (name, launch) => ({ name, type: 'stdio', ...commandEntry(launch) }),
  urlUnavailable: 'Continue’s docs describe URL blocks without the OAuth sign-in MCP Dock requires',
};
