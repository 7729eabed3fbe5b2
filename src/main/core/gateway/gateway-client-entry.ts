import { gatewayEntryName } from '../../../shared/gateway';
import { profilePath } from '../../../shared/profiles';
import type { StdioLaunch } from '../../../shared/snippets';
import type { ClientEntry } from '../clients/client-kinds';
import { MCP_PATH } from '../mcp/mcp-http-route';

export interface GatewayOrigin {
  // Where clients reach the app.
  issuer: string;
  dataDir: string;
  // How a client launches this install's CLI.
  cliLaunch: StdioLaunch;
}

// The gateway's entry in a client config: /mcp, or a profile's endpoint. /mcp's stdio form names
// its URL (as it always has); a profile's names the profile, and `gateway --stdio --profile` finds
// the running app from the data directory.
export type GatewayClientEntry = ClientEntry & { url: string; launch: StdioLaunch };

export function gatewayClientEntry(origin: GatewayOrigin, profile?: string): GatewayClientEntry {
  const url = `${origin.issuer}${profile === undefined ? MCP_PATH : profilePath(profile)}`;
  const target = profile === undefined ? ['--url', url] : ['--profile', profile];
  return {
    name: gatewayEntryName(profile),
    url,
    launch: {
      ...origin.cliLaunch,
      args: [...origin.cliLaunch.args, 'gateway', '--stdio', ...target, '--data-dir', origin.dataDir],
    },
  };
}
