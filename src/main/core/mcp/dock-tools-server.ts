import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Caller, SecurityServices } from '../security/secure-tool';
import { APP_VERSION } from '../version';
import { registerOAuthTools, type OAuthToolsBackend } from './tools/oauth-tools';
import { registerSecurityTools, type SecurityToolsBackend } from './tools/security-tools';

export interface DockToolsDeps {
  oauth: OAuthToolsBackend;
  security: SecurityServices;
  securityBackend: SecurityToolsBackend;
  // Who calls when no token says so (stdio).
  local: Caller;
}

// The guide's nine tools, each wrapped by secureTool. One server per MCP session: an SDK server
// binds to one transport.
export function createDockToolsServer(deps: DockToolsDeps): McpServer {
  const server = new McpServer(
    { name: 'mcp-dock', version: APP_VERSION },
    {
      capabilities: { tools: { listChanged: true } },
      instructions:
        'MCP Dock security and OAuth tools. PII in arguments and results is handled by the configured policy, and every call is audited.',
    },
  );
  registerOAuthTools(server, deps.oauth, deps.security, deps.local);
  registerSecurityTools(server, deps.securityBackend, deps.security, deps.local);
  return server;
}
