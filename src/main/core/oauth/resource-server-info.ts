import { errors as oidcErrors } from 'oidc-provider';
import { registeredScopes } from './scopes';

export interface ResourceServerPolicy {
  // The resources tokens may be issued for (RFC 8707).
  resources: () => string[];
  accessTokenTtlS: number;
}

// What oidc-provider's resourceIndicators.getResourceServerInfo answers: the resource must be one
// of ours, and the scopes asked for must be ones the client registered for. Throws oidc-provider's
// own errors, which it turns into invalid_target / invalid_scope answers.
export function resourceServerInfo(
  policy: ResourceServerPolicy,
  resourceIndicator: string,
  client: { clientId: string; scope?: string | undefined },
  askedScope: unknown,
) {
  if (!policy.resources().includes(resourceIndicator)) throw new oidcErrors.InvalidTarget();
  // oidc-provider holds a client to its registered scopes only for the scopes it knows, and it
  // knows mcp:server:<name> only once that server exists: without this check a client could ask
  // for the scope of a server added later and hold it when it comes.
  const registered = registeredScopes(client.scope);
  const asked = String(askedScope ?? '')
    .split(' ')
    .filter((s) => s && s !== 'openid');
  const refused = asked.filter((s) => !registered.has(s));
  if (refused.length > 0)
    throw new oidcErrors.InvalidScope(
      `client ${client.clientId} is not registered for ${refused.join(' ')}; it may ask for ${[...registered].join(' ')}`,
      refused.join(' '),
    );
  return {
    scope: [...registered].join(' '),
    audience: resourceIndicator,
    accessTokenTTL: policy.accessTokenTtlS,
    accessTokenFormat: 'jwt' as const,
    jwt: { sign: { alg: 'ES256' as const } },
  };
}
