// OAuth clients MCP Dock makes for itself. The Clients & Tokens pane marks them, asks before
// revoking one (saying what stops working) and never offers them for test tokens.
export const STDIO_GATEWAY_CLIENT_ID = 'mcp-dock-gateway-stdio';

export interface InternalClient {
  label: string;
  // What revoking it breaks, and what happens next.
  revokeEffect: string;
}

const INTERNAL_CLIENTS: Readonly<Record<string, InternalClient>> = {
  [STDIO_GATEWAY_CLIENT_ID]: {
    label: 'MCP Dock gateway (stdio)',
    revokeEffect:
      'Every running gateway session started by mcp-dock gateway --stdio (Claude Desktop’s gateway entry) loses access at once. The next session that starts makes a new credential by itself.',
  },
};

export function internalClient(clientId: string): InternalClient | undefined {
  return Object.hasOwn(INTERNAL_CLIENTS, clientId) ? INTERNAL_CLIENTS[clientId] : undefined;
}
