import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { DockImpl } from '../../../../shared/contract';
import type { PiiPolicy } from '../../../../shared/security';
import {
  allowEndpoints,
  callerOf,
  errorResult,
  secureTool,
  type Caller,
  type SecurityServices,
  type ToolHandler,
} from '../../security/secure-tool';
import { jsonResult } from './json-result';
import { validateOAuthSetup } from './oauth-validation';

export interface OAuthToolsBackend {
  api: DockImpl['oauth'];
  // The issuer clients build everything from; the running server's origin.
  issuer(): string;
  // Whether this process serves HTTP (the app, `mcp-dock serve`) or only the tools (stdio).
  serving: boolean;
  accessTokenTtlSeconds: number;
  fetch?: typeof fetch;
}

export function registerOAuthTools(
  server: McpServer,
  oauth: OAuthToolsBackend,
  security: SecurityServices,
  local: Caller,
): void {
  const secure = <A>(
    name: string,
    handler: ToolHandler<A>,
    options: { scopes?: string[]; adjustPolicy?: (p: PiiPolicy) => PiiPolicy } = {},
  ) =>
    secureTool(
      handler,
      {
        toolName: name,
        server: 'mcp-dock',
        scopes: ['mcp.access'],
        adjustPolicy: allowEndpoints,
        ...options,
      },
      security,
      local,
    );
  const fetchImpl = oauth.fetch ?? fetch;

  server.registerTool(
    'get_oauth2_server_status',
    {
      description:
        'Status of the built-in OAuth 2.1 authorization server: issuer, endpoints, clients, live tokens and signing keys.',
      inputSchema: {},
    },
    secure('get_oauth2_server_status', async () => {
      const issuer = oauth.issuer();
      let discovery: Record<string, unknown> | undefined;
      let reachable = false;
      try {
        const res = await fetchImpl(`${issuer}/.well-known/oauth-authorization-server`, {
          signal: AbortSignal.timeout(3000),
        });
        reachable = res.ok;
        if (res.ok) discovery = (await res.json()) as Record<string, unknown>;
      } catch {
        reachable = false;
      }
      const now = Math.floor(Date.now() / 1000);
      const clients = await oauth.api.clients();
      const tokens = (await oauth.api.tokens()).filter((t) => t.expiresAt > now);
      return jsonResult({
        issuer,
        reachable,
        ...(reachable ? {} : { note: `nothing answers at ${issuer}; start the app or \`mcp-dock serve\`` }),
        endpoints: discovery
          ? Object.fromEntries(
              Object.entries(discovery).filter(([k]) => k.endsWith('_endpoint') || k === 'jwks_uri'),
            )
          : {},
        grant_types_supported: discovery?.grant_types_supported ?? [],
        scopes_supported: discovery?.scopes_supported ?? [],
        clients: {
          confidential: clients.filter((c) => c.kind === 'confidential').length,
          public: clients.filter((c) => c.kind === 'public').length,
        },
        active_tokens: tokens.length,
        active_grants: (await oauth.api.grants()).length,
        signing_keys: await oauth.api.signingKeys(),
        access_token_ttl_seconds: oauth.accessTokenTtlSeconds,
      });
    }),
  );

  server.registerTool(
    'create_oauth2_test_token',
    {
      description:
        'Issue a signed access token (RFC 9068 JWT) for an existing client, for testing a resource. The token is recorded and can be revoked.',
      inputSchema: {
        client_id: z.string().min(1).max(200),
        scope: z.string().max(200).default('mcp.access'),
        audience: z.string().max(500).optional().describe('Resource URL; defaults to the /mcp endpoint'),
        ttl_seconds: z.number().int().min(60).max(86_400).default(1800),
      },
    },
    secure(
      'create_oauth2_test_token',
      async (
        args: { client_id: string; scope: string; audience?: string; ttl_seconds: number },
        extra: Parameters<ToolHandler<unknown>>[1],
      ) => {
        // Over /mcp the caller holds a token: it may make one only for itself and within what
        // that token grants, or any client could borrow another's scopes (mcp:servers).
        // Without a token (stdio, the local user) any client's, as in the panel.
        if (extra.authInfo) {
          const caller = callerOf(extra, local);
          if (args.client_id !== caller.clientId)
            return errorResult(
              'INSUFFICIENT_SCOPE',
              `over /mcp a test token is made only for the calling client (${caller.clientId}), not ${args.client_id}`,
            );
          const beyond = args.scope.split(' ').filter((s) => s && !caller.scopes.includes(s));
          if (beyond.length > 0)
            return errorResult(
              'INSUFFICIENT_SCOPE',
              `the calling token does not grant ${beyond.join(' ')}, so a test token cannot carry it`,
            );
        }
        return jsonResult(
          await oauth.api.createTestToken({
            clientId: args.client_id,
            scope: args.scope,
            audience: args.audience ?? `${oauth.issuer()}/mcp`,
            ttlSeconds: args.ttl_seconds,
          }),
        );
      },
    ),
  );

  server.registerTool(
    'get_oauth2_flow_guide',
    {
      description:
        "Step-by-step guide, with this server's real URLs and curl commands, for the client_credentials or authorization_code flow.",
      inputSchema: {
        flow: z.enum(['client_credentials', 'authorization_code']).default('client_credentials'),
      },
    },
    secure('get_oauth2_flow_guide', async (args: { flow: 'client_credentials' | 'authorization_code' }) =>
      jsonResult(flowGuide(oauth.issuer(), args.flow)),
    ),
  );

  server.registerTool(
    'validate_oauth2_setup',
    {
      description:
        'Checks the running authorization server over HTTP the way strict MCP clients do: discovery, issuer, PKCE, JWKS, protected resource metadata, bearer challenges, error semantics, redirect rules.',
      inputSchema: {},
    },
    secure('validate_oauth2_setup', async () => {
      const checks = await validateOAuthSetup(oauth.issuer(), fetchImpl);
      const failed = checks.filter((c) => !c.ok);
      return jsonResult({
        issuer: oauth.issuer(),
        ok: failed.length === 0,
        passed: checks.length - failed.length,
        failed: failed.length,
        checks,
      });
    }),
  );
}

function flowGuide(issuer: string, flow: 'client_credentials' | 'authorization_code') {
  if (flow === 'client_credentials')
    return {
      flow,
      issuer,
      steps: [
        {
          step: 'Create a confidential client (the secret is shown once)',
          command: 'mcp-dock clients add --name mcp-client --grant client_credentials --scope mcp.access',
        },
        {
          step: 'Request a token',
          command: `curl -s -X POST ${issuer}/oauth2/token -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials -d scope=mcp.access -d resource=${issuer}/mcp`,
        },
        {
          step: 'Call a protected endpoint',
          command: `curl -s ${issuer}/hello -H "Authorization: Bearer $ACCESS_TOKEN"`,
        },
        {
          step: 'Introspect or revoke it',
          command: `curl -s -X POST ${issuer}/oauth2/introspect -u "$CLIENT_ID:$CLIENT_SECRET" -d token=$ACCESS_TOKEN`,
        },
      ],
    };
  return {
    flow,
    issuer,
    steps: [
      {
        step: 'Discover the authorization server',
        request: `GET ${issuer}/.well-known/oauth-protected-resource/mcp, then GET ${issuer}/.well-known/oauth-authorization-server`,
      },
      {
        step: 'Register (RFC 7591) with a loopback or https redirect URI',
        request: `POST ${issuer}/oauth2/register {"redirect_uris":["http://127.0.0.1:PORT/callback"],"token_endpoint_auth_method":"none"}`,
      },
      {
        step: 'Authorize with PKCE S256 and a resource indicator',
        request: `GET ${issuer}/oauth2/authorize?response_type=code&client_id=ID&redirect_uri=...&code_challenge=...&code_challenge_method=S256&state=...&resource=${issuer}/mcp&scope=mcp.access%20offline_access`,
      },
      { step: 'Approve in MCP Dock (Allow / Deny); the redirect carries code, state and iss (RFC 9207)' },
      {
        step: 'Exchange the code',
        request: `POST ${issuer}/oauth2/token grant_type=authorization_code&code=...&code_verifier=...&redirect_uri=...&client_id=ID&resource=${issuer}/mcp`,
      },
      {
        step: 'Call /mcp with the bearer token; refresh with grant_type=refresh_token (rotated, reuse revokes the grant)',
      },
    ],
  };
}
