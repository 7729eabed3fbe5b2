import type { GatewaySnippet } from '../../../../../shared/gateway';
import { CLIENT_FACTS, CLIENT_IDS, type ClientId } from '../../../../../shared/snippets';

export type GatewayForm = GatewaySnippet['form'];

// How each client reaches the gateway unless the user picks otherwise: clients that sign in with
// OAuth themselves take the URL; the others launch `mcp-dock gateway --stdio`.
export const DEFAULT_GATEWAY_FORM = Object.fromEntries(
  CLIENT_IDS.map((id) => [id, CLIENT_FACTS[id].url ? 'url' : 'stdio']),
) as Record<ClientId, GatewayForm>;

export const GATEWAY_FORM_LABELS: Record<GatewayForm, string> = {
  url: 'URL',
  stdio: 'stdio',
};
