import { auth, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { expect, openApp, test } from './fixtures/dock';
import { startCallback } from './fixtures/oauth-callback';

// The MCP SDK's own OAuth client against /mcp, start to finish: discovery (RFC 9728, then the
// authorization server's metadata), dynamic registration, authorize with PKCE (consent clicked in
// Chromium), code for tokens, a tool call, and a refresh. Code we did not write, speaking the spec.
class MemoryProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = '';
  authorizationUrl?: URL;
  constructor(readonly redirectUrl: string) {}
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'SDK auth() client',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: 'mcp.access offline_access',
    };
  }
  clientInformation = () => this.client;
  saveClientInformation = (info: OAuthClientInformationMixed) => void (this.client = info);
  tokens = () => this.saved;
  saveTokens = (tokens: OAuthTokens) => void (this.saved = tokens);
  redirectToAuthorization = (url: URL) => void (this.authorizationUrl = url);
  saveCodeVerifier = (verifier: string) => void (this.verifier = verifier);
  codeVerifier = () => this.verifier;
}

test('the MCP SDK auth() flow reaches /mcp: register, consent, PKCE, call, refresh', async ({ dock }) => {
  const origin = await dock.httpOrigin();
  const callback = await startCallback();
  const { redirect, codes } = callback;
  const serverUrl = `${origin}/mcp`;
  try {
    await openApp(dock);
    const provider = new MemoryProvider(redirect);
    expect(await auth(provider, { serverUrl, scope: 'mcp.access offline_access' })).toBe('REDIRECT');
    expect(provider.client?.client_id).toBeTruthy();
    const authorizationUrl = provider.authorizationUrl!;
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('resource')).toBe(serverUrl);

    const consent = await dock.page.context().newPage();
    await consent.goto(authorizationUrl.toString());
    await expect(consent.getByText('SDK auth() client')).toBeVisible();
    await consent.getByRole('button', { name: 'Allow' }).click();
    await expect(consent).toHaveURL(new RegExp(`^${redirect}\\?code=`));
    await consent.close();
    expect(codes).toHaveLength(1);

    expect(await auth(provider, { serverUrl, authorizationCode: codes[0]! })).toBe('AUTHORIZED');
    const first = provider.saved!;
    expect(first.refresh_token).toBeTruthy();

    const client = new Client({ name: 'sdk-auth-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(serverUrl), { authProvider: provider }));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('test_pii_detection');
    await client.close();

    // With a refresh token saved, auth() refreshes instead of redirecting; the token rotates.
    expect(await auth(provider, { serverUrl })).toBe('AUTHORIZED');
    expect(provider.saved!.access_token).not.toBe(first.access_token);
    expect(provider.saved!.refresh_token).not.toBe(first.refresh_token);
    const again = new Client({ name: 'sdk-auth-e2e', version: '1.0.0' });
    await again.connect(new StreamableHTTPClientTransport(new URL(serverUrl), { authProvider: provider }));
    expect((await again.listTools()).tools).toHaveLength(9);
    await again.close();
  } finally {
    callback.close();
  }
});
