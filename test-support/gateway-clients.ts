import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { PassThrough } from 'node:stream';
import type { Core } from '../src/main/core/create-core';
import { STDIO_SCOPE } from '../src/main/core/gateway/stdio-credential';
import { relayStdioToHttp } from '../src/main/core/gateway/stdio-relay';
import { StreamClientTransport } from './stream-client-transport';

const SCOPE = 'mcp.access mcp:servers';

// An access token for one of the core's endpoints (`resource`: its URL), as a client_credentials
// client named `clientName` (made here) with every server's scope. Throws with the server's answer
// when none is issued.
export async function gatewayToken(core: Core, clientName: string, resource: string): Promise<string> {
  const creds = await core.oauthClients.create({
    name: clientName,
    grant: 'client_credentials',
    scope: SCOPE,
  });
  const res = await fetch(`${core.httpOrigin}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: creds.client_id,
      client_secret: creds.client_secret,
      scope: SCOPE,
      resource,
    }),
  });
  const body = (await res.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

// An SDK client at the core's /mcp (or another endpoint of it: a profile's /mcp/p/<name>).
export async function gatewayHttpClient(core: Core, clientName: string, path = '/mcp'): Promise<Client> {
  const token = await gatewayToken(core, clientName, `${core.httpOrigin}${path}`);
  const client = new Client({ name: clientName, version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${core.httpOrigin}${path}`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

// An SDK client through `mcp-dock gateway --stdio`'s relay, in-process over a pair of streams,
// with the credential the app keeps for it. `stop` ends the relay (after the client closed).
export async function gatewayStdioClient(
  core: Core,
  name: string,
  path = '/mcp',
): Promise<{ client: Client; stop(): Promise<void> }> {
  const toRelay = new PassThrough();
  const fromRelay = new PassThrough();
  const controller = new AbortController();
  const relayed = relayStdioToHttp({
    input: toRelay,
    output: fromRelay,
    url: `${core.httpOrigin}${path}`,
    credential: await core.stdioCredential(),
    scope: STDIO_SCOPE,
    signal: controller.signal,
    log: () => undefined,
  });
  const client = new Client({ name, version: '1' });
  await client.connect(new StreamClientTransport(fromRelay, toRelay));
  return {
    client,
    async stop() {
      controller.abort();
      await relayed.catch(() => undefined);
    },
  };
}
