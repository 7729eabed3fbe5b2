import type { GatewaySnippet } from '../../../../../shared/gateway';
import type { ClientId } from '../../../../../shared/snippets';

export type GatewayForm = GatewaySnippet['form'];

// How each client reaches the gateway unless the user picks otherwise: clients that do OAuth
// themselves take the URL; Claude Desktop launches `mcp-dock gateway --stdio`.
export const DEFAULT_GATEWAY_FORM: Record<ClientId, GatewayForm> = {
  cursor: 'url',
  vscode: 'url',
  windsurf: 'url',
  'claude-code': 'url',
  'claude-desktop': 'stdio',
};

export const GATEWAY_FORM_LABELS: Record<GatewayForm, string> = {
  url: 'URL',
  stdio: 'stdio',
};
