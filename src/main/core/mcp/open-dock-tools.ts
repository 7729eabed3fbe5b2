import { userInfo } from 'node:os';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { DockImpl } from '../../../shared/contract';
import { SUPPORTED_SCOPES } from '../oauth/scopes';
import type { Security } from '../security/open-security';
import type { Caller } from '../security/secure-tool';
import { createDockToolsServer, DOCK_TOOL_NAMES } from './dock-tools-server';

export interface DockToolsOptions {
  oauthApi: DockImpl['oauth'];
  issuer: string;
  serving: boolean;
  accessTokenTtlSeconds: number;
  security: Security;
}

export interface DockTools {
  // A fresh server of the nine tools: one per MCP session (an SDK server binds to one transport).
  create(): McpServer;
  names: readonly string[];
  // Who calls when no token says so (`mcp-dock tools --stdio`, the panel).
  local: Caller;
}

// os.userInfo throws where the user has no passwd entry (some containers).
function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'local';
  }
}

// The guide's nine security and OAuth tools, as the gateway and `mcp-dock tools --stdio` serve them.
export function openDockTools(options: DockToolsOptions): DockTools {
  const local: Caller = { clientId: 'local', userId: safeUserName(), scopes: [...SUPPORTED_SCOPES] };
  const { security } = options;
  const deps = {
    oauth: {
      api: options.oauthApi,
      issuer: () => options.issuer,
      serving: options.serving,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    },
    security: security.services,
    securityBackend: {
      fernet: security.fernet,
      queryAudit: (query: Parameters<Security['audit']['query']>[0]) => security.audit.query(query),
      verifyAudit: () => security.audit.verify(),
    },
    local,
  };
  return { create: () => createDockToolsServer(deps), names: DOCK_TOOL_NAMES, local };
}
