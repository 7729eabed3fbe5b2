import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  isJSONRPCRequest,
  isJSONRPCResponse,
  InitializeResultSchema,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import type { Readable, Writable } from 'node:stream';
import type { StdioCredential } from './stdio-credential';

export interface StdioRelayOptions {
  input: Readable;
  output: Writable;
  // The gateway's /mcp URL.
  url: string;
  credential: StdioCredential;
  scope: string;
  signal: AbortSignal;
  log: (line: string) => void;
}

// `mcp-dock gateway --stdio`: JSON-RPC lines on stdin/stdout relayed to the running app's /mcp
// over Streamable HTTP. The SDK's client-credentials provider gets (and renews) the token; a
// request that cannot reach the app is answered with a JSON-RPC error instead of silence.
export async function relayStdioToHttp(options: StdioRelayOptions): Promise<void> {
  const issuer = new URL(options.url).origin;
  const http = new StreamableHTTPClientTransport(new URL(options.url), {
    authProvider: new ClientCredentialsProvider({
      clientId: options.credential.client_id,
      clientSecret: options.credential.client_secret,
      clientName: 'MCP Dock gateway (stdio)',
      scope: options.scope,
      expectedIssuer: issuer,
    }),
  });
  const stdio = new StdioServerTransport(options.input, options.output);
  const pendingInitialize = new Set<string | number>();

  stdio.onmessage = (message: JSONRPCMessage) => {
    if (isJSONRPCRequest(message) && message.method === 'initialize') pendingInitialize.add(message.id);
    http.send(message).catch((error: Error) => {
      options.log(`mcp-dock gateway: ${error.message}`);
      if (isJSONRPCRequest(message))
        void stdio.send({
          jsonrpc: '2.0',
          id: message.id,
          error: {
            code: -32000,
            message: `MCP Dock gateway at ${options.url} did not answer: ${error.message}`,
          },
        });
    });
  };
  http.onmessage = (message: JSONRPCMessage) => {
    // The relay is not an SDK client, so it tells the transport the negotiated version itself.
    if (isJSONRPCResponse(message) && pendingInitialize.delete(message.id)) {
      const init = InitializeResultSchema.safeParse(message.result);
      if (init.success) http.setProtocolVersion(init.data.protocolVersion);
    }
    void stdio.send(message);
  };
  http.onerror = (error) => options.log(`mcp-dock gateway: ${error.message}`);
  stdio.onerror = (error) => options.log(`mcp-dock gateway: ${error.message}`);

  const ended = new Promise<void>((resolve) => {
    options.input.once('end', resolve);
    options.input.once('close', resolve);
    options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await http.start();
  await stdio.start();
  await ended;
  await http.terminateSession().catch(() => undefined);
  await http.close();
  await stdio.close();
}
