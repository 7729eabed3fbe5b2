import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { dockerHost } from './docker';
import type { Caller } from './load';

// The MCP SDK client (code we did not write) is the client on every path, so the paths differ
// only in what sits between it and the server.

export interface EchoClient extends Caller {
  client: Client;
  close(): Promise<void>;
}

const MESSAGE = 'hello from the benchmark';

// One call of an echo tool, checked.
export async function callEcho(client: Client, tool: string): Promise<void> {
  const result = (await client.callTool({
    name: tool,
    arguments: { message: MESSAGE },
  })) as CallToolResult;
  const first = result.content[0];
  if (result.isError || first?.type !== 'text' || first.text !== `Echo: ${MESSAGE}`)
    throw new Error(`unexpected echo result: ${JSON.stringify(result).slice(0, 300)}`);
}

function echoCaller(client: Client, tool: string, close: () => Promise<void>): EchoClient {
  return {
    client,
    call: () => callEcho(client, tool),
    close: () => close().catch(() => undefined),
  };
}

export async function stdioEchoClient(command: string, args: string[], tool = 'echo'): Promise<EchoClient> {
  const client = new Client({ name: 'mcp-dock-bench', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command,
      args,
      env: { ...(process.env as Record<string, string>), DOCKER_HOST: dockerHost() },
      stderr: 'ignore',
    }),
  );
  return echoCaller(client, tool, () => client.close());
}

export async function httpEchoClient(url: string, tool = 'echo', bearer?: string): Promise<EchoClient> {
  const client = new Client({ name: 'mcp-dock-bench', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(
    new URL(url),
    bearer ? { requestInit: { headers: { authorization: `Bearer ${bearer}` } } } : {},
  );
  await client.connect(transport);
  // Closing ends the session on the server too (DELETE), as a client that is done should: a
  // server that holds something per session (a gateway's upstream processes) lets it go now
  // rather than at its idle timeout.
  return echoCaller(client, tool, async () => {
    await transport.terminateSession().catch(() => undefined);
    await client.close();
  });
}

// A client_credentials token from our own token endpoint.
export async function fetchToken(
  origin: string,
  clientId: string,
  clientSecret: string,
  scope: string,
  resource = `${origin}/mcp`,
): Promise<string> {
  const res = await fetch(`${origin}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
