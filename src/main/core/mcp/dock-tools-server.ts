import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Caller, SecurityServices } from '../security/secure-tool';
import { APP_VERSION } from '../version';
import { registerOAuthTools, type OAuthToolsBackend } from './tools/oauth-tools';
import { registerSecurityTools, type SecurityToolsBackend } from './tools/security-tools';

// The guide's nine tool names, for listings that do not open a session.
export const DOCK_TOOL_NAMES = [
  'get_oauth2_server_status',
  'create_oauth2_test_token',
  'get_oauth2_flow_guide',
  'validate_oauth2_setup',
  'test_pii_detection',
  'test_encryption',
  'get_security_audit_log',
  'simulate_data_breach_detection',
  'generate_security_report',
] as const;

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
