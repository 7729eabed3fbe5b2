import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { DockError } from '../../../shared/errors';
import { ProbeFailedError } from '../errors';
import { mcpErrorText } from '../mcp/mcp-errors';
import { APP_VERSION } from '../version';

export interface ProbeResult {
  serverName: string;
  serverVersion: string;
  tools: Array<{ name: string; description?: string }>;
}

// What a client would do first: initialize, then list every tool (following pagination).
export async function probeMcp(transport: Transport, timeoutMs: number): Promise<ProbeResult> {
  // Loaded at the first probe, not with the servers capability: `mcp-dock servers list` opens
  // servers and probes nothing, and the SDK's client took a fifth of its start-up.
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const client = new Client({ name: 'mcp-dock-probe', version: APP_VERSION });
  try {
    await client.connect(transport, { timeout: timeoutMs });
    const tools: ProbeResult['tools'] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs });
      for (const tool of page.tools)
        tools.push(
          tool.description ? { name: tool.name, description: tool.description } : { name: tool.name },
        );
      cursor = page.nextCursor;
    } while (cursor);
    const info = client.getServerVersion();
    return { serverName: info?.name ?? 'unknown', serverVersion: info?.version ?? 'unknown', tools };
  } catch (error) {
    if (error instanceof DockError) throw error;
    throw new ProbeFailedError(mcpErrorText(error), { cause: error });
  } finally {
    await client.close().catch(() => undefined);
  }
}
