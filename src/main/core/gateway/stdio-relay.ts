import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  isJSONRPCRequest,
  isJSONRPCResponse,
  InitializeResultSchema,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Readable, Writable } from 'node:stream';
import type { StdioCredential, StdioTokens } from './stdio-credential';

export interface StdioRelayOptions {
  input: Readable;
  output: Writable;
  // The gateway's /mcp URL.
  url: string;
  credential: StdioCredential;
  scope: string;
  signal: AbortSignal;
  log: (line: string) => void;
  // The token to start with (one a previous session left, or the one minted to check the
  // credential), and where new ones go, so a session mints only when its token stops working.
  tokens?: { initial?: StdioTokens | undefined; save?: (tokens: StdioTokens) => Promise<void> };
}

// The SDK's client-credentials provider, starting from a token we already hold and handing each
// new one on. A failed save costs the next session one token request, never this session.
class SessionTokenProvider extends ClientCredentialsProvider {
  readonly #store: StdioRelayOptions['tokens'];
  readonly #log: (line: string) => void;

  constructor(
    options: ConstructorParameters<typeof ClientCredentialsProvider>[0],
    store: StdioRelayOptions['tokens'],
    log: (line: string) => void,
  ) {
    super(options);
    this.#store = store;
    this.#log = log;
    if (store?.initial) super.saveTokens(store.initial);
  }

  override async saveTokens(tokens: OAuthTokens): Promise<void> {
    super.saveTokens(tokens);
    await this.#store
      ?.save?.(tokens)
      .catch((error: Error) =>
        this.#log(`mcp-dock gateway: could not keep the new token for later sessions: ${error.message}`),
      );
  }
}

// `mcp-dock gateway --stdio`: JSON-RPC lines on stdin/stdout relayed to the running app's /mcp
// over Streamable HTTP. The SDK's client-credentials provider renews the token when the app
// refuses it (expired, revoked); a
// request that cannot reach the app is answered with a JSON-RPC error instead of silence.
export async function relayStdioToHttp(options: StdioRelayOptions): Promise<void> {
  const issuer = new URL(options.url).origin;
  const http = new StreamableHTTPClientTransport(new URL(options.url), {
    authProvider: new SessionTokenProvider(
      {
        clientId: options.credential.client_id,
        clientSecret: options.credential.client_secret,
        clientName: 'MCP Dock gateway (stdio)',
        scope: options.scope,
        expectedIssuer: issuer,
      },
      options.tokens,
      options.log,
    ),
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
