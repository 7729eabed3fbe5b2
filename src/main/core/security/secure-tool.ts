import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { DockError } from '../../../shared/errors';
import type { PiiPolicy } from '../../../shared/security';
import { guardCall, type Caller, type GuardRules, type SecurityServices } from './guard';

// The guard's types, where the tools and the composition root have always found them.
export type { Caller, SecurityServices };

// How a tool is guarded: the guard's rules (scopes, policy, audit), fixed when it is registered.
export type SecureToolOptions = GuardRules;

// auditCallId: set by secureTool for the handler (the call_id of its audit records).
export type ToolExtra = { authInfo?: AuthInfo; auditCallId?: string };
type Extra = ToolExtra;
export type ToolHandler<A, E extends Extra = Extra> = (
  args: A,
  extra: E,
) => CallToolResult | Promise<CallToolResult>;

// The caller as the OAuth token names it. Without a token (stdio, started by the local user who
// could read the data directory anyway) the caller is the local user with every scope.
export function callerOf(extra: Extra, local: Caller): Caller {
  const auth = extra.authInfo;
  if (!auth) return local;
  const sub = (auth.extra as { sub?: unknown } | undefined)?.sub;
  return {
    clientId: auth.clientId,
    userId: typeof sub === 'string' ? sub : auth.clientId,
    scopes: auth.scopes,
  };
}

// For tools whose whole point is to hand back a token (an access token, a Fernet token): the
// configured policy still governs every other entity type, and the audit event still counts it.
export const allowSecrets = (policy: PiiPolicy): PiiPolicy => ({
  ...policy,
  entities: { ...policy.entities, SECRET: 'allow' },
});

// For tools that describe this app's own endpoints: its loopback URLs are not anyone's data.
export const allowEndpoints = (policy: PiiPolicy): PiiPolicy => ({
  ...policy,
  entities: { ...policy.entities, URL: 'allow', IP_ADDRESS: 'allow', SECRET: 'allow' },
});

export function errorResult(code: string, message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: `${code}: ${message}` }] };
}

// A refusal said as a tool error, "<CODE>: <reason>", so a model reads why its call failed.
export function refusalResult(refusal: DockError): CallToolResult {
  return errorResult(refusal.code, refusal.message);
}

// The guide's secure_tool decorator, as an MCP tool handler over guardCall: the caller comes
// from the request's token, the handler gets the arguments as the PII policy left them (and
// extra.auditCallId), a refusal is a tool error, and a result with isError is logged as failed.
export function secureTool<A, E extends Extra>(
  handler: ToolHandler<A, E>,
  options: SecureToolOptions,
  services: SecurityServices,
  local: Caller,
): ToolHandler<A, E> {
  return async (args, extra) => {
    const outcome = await guardCall(services, {
      ...options,
      caller: callerOf(extra, local),
      args,
      forward: (secured, callId) => handler(secured, { ...extra, auditCallId: callId }),
      failed: (result) => result.isError === true,
    });
    return outcome.ok ? outcome.value : refusalResult(outcome.refusal);
  };
}
