export interface SetupCheck {
  check: string;
  ok: boolean;
  detail: string;
}

type Fetch = typeof fetch;

async function getJson(fetchImpl: Fetch, url: string, init?: RequestInit) {
  const res = await fetchImpl(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { res, body: (body ?? {}) as Record<string, unknown> };
}

// The guide's validate_oauth2_setup, done as a strict client would: over HTTP against the
// running server, checking what MCP clients depend on rather than reading our own config back.
export async function validateOAuthSetup(issuer: string, fetchImpl: Fetch = fetch): Promise<SetupCheck[]> {
  const checks: SetupCheck[] = [];
  const add = (check: string, ok: boolean, detail: string) => checks.push({ check, ok, detail });
  const attempt = async (check: string, run: () => Promise<void>) => {
    try {
      await run();
    } catch (error) {
      add(check, false, `request failed: ${(error as Error).message}`);
    }
  };

  let meta: Record<string, unknown> = {};
  await attempt('discovery', async () => {
    const { res, body } = await getJson(fetchImpl, `${issuer}/.well-known/oauth-authorization-server`);
    meta = body;
    add('discovery', res.status === 200, `GET /.well-known/oauth-authorization-server → ${res.status}`);
  });
  if (Object.keys(meta).length === 0) return checks;
  add(
    'issuer',
    meta.issuer === issuer,
    `issuer is ${JSON.stringify(meta.issuer)}, expected ${JSON.stringify(issuer)}`,
  );
  const methods = (meta.code_challenge_methods_supported as string[] | undefined) ?? [];
  add(
    'pkce',
    methods.length === 1 && methods[0] === 'S256',
    `code_challenge_methods_supported: ${JSON.stringify(methods)}`,
  );
  add(
    'iss-parameter',
    meta.authorization_response_iss_parameter_supported === true,
    'authorization_response_iss_parameter_supported (RFC 9207)',
  );
  for (const endpoint of [
    'token_endpoint',
    'registration_endpoint',
    'introspection_endpoint',
    'revocation_endpoint',
    'jwks_uri',
  ])
    add(endpoint, typeof meta[endpoint] === 'string', `${endpoint}: ${String(meta[endpoint] ?? 'missing')}`);

  await attempt('jwks', async () => {
    const { res, body } = await getJson(fetchImpl, String(meta.jwks_uri));
    const keys = (body.keys as Record<string, unknown>[] | undefined) ?? [];
    const good = keys.filter(
      (k) => typeof k.kid === 'string' && (k.alg === 'ES256' || k.crv === 'P-256') && !('d' in k),
    );
    add(
      'jwks',
      res.status === 200 && keys.length > 0 && good.length === keys.length,
      `${keys.length} public key(s), ${good.length} ES256 with kid and no private part`,
    );
  });

  await attempt('protected-resource', async () => {
    const { res, body } = await getJson(fetchImpl, `${issuer}/.well-known/oauth-protected-resource/mcp`);
    add(
      'protected-resource',
      res.status === 200 && body.resource === `${issuer}/mcp` && Array.isArray(body.authorization_servers),
      `resource is ${JSON.stringify(body.resource)} (RFC 9728)`,
    );
  });

  await attempt('bearer-challenge', async () => {
    const { res } = await getJson(fetchImpl, `${issuer}/hello`);
    const challenge = res.headers.get('www-authenticate') ?? '';
    add(
      'bearer-challenge',
      res.status === 401 && challenge.includes('resource_metadata='),
      `GET /hello without a token → ${res.status}, WWW-Authenticate ${challenge ? 'names the resource metadata' : 'missing'}`,
    );
  });

  await attempt('token-errors', async () => {
    const { res, body } = await getJson(fetchImpl, String(meta.token_endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&username=a&password=b',
    });
    add(
      'token-errors',
      res.status === 400 || res.status === 401,
      `an unsupported grant → ${res.status} ${String(body.error ?? '')} (RFC 6749 §5.2)`,
    );
    add(
      'no-store',
      res.headers.get('cache-control')?.includes('no-store') === true,
      'token responses carry Cache-Control: no-store',
    );
  });

  await attempt('redirect-rule', async () => {
    const { res, body } = await getJson(fetchImpl, String(meta.registration_endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['javascript:alert(1)'], token_endpoint_auth_method: 'none' }),
    });
    add(
      'redirect-rule',
      res.status === 400 && body.error === 'invalid_redirect_uri',
      `registering a javascript: redirect URI → ${res.status} ${String(body.error ?? '')}`,
    );
  });
  return checks;
}
