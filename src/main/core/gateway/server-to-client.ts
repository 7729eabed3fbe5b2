import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ownMessage } from '../mcp/mcp-errors';
import { guardCall, type Caller, type SecurityServices } from '../security/guard';
import { applyPolicyToValue } from '../security/policy/apply-policy';
import { resolvePolicy } from '../security/policy/resolve-policy';
import { UpstreamRpcError } from './gateway-errors';
import { namespacedUri } from './resource-uris';
import type { RpcErrorShape, UpstreamNotification, UpstreamRequest } from './upstream-session';

type Params = Record<string, unknown>;

// Whatever the client answers is the server's to read: passed on as it came.
const AnyResult = z.looseObject({});

// The audit event type of a server-to-client request: sampling, elicitation, roots (and tasks/*
// for a client that runs such requests as tasks).
export function relayEventType(method: string): string {
  return method.split('/')[0] ?? method;
}

export interface RelayContext {
  server: Server;
  security: SecurityServices;
  caller: Caller;
  separator: () => string;
  timeoutMs: () => number;
}

// A request an upstream server sent to this session's client (sampling, elicitation, roots...),
// relayed to that client on the stream of the call that caused it, through the server's PII
// policy both ways (what the server asks, and what the client answers: elicitation answers are
// what a person typed) and audited as its own event type.
export async function relayRequest(
  ctx: RelayContext,
  serverName: string,
  request: UpstreamRequest,
  related: RequestId | undefined,
): Promise<Params> {
  const outcome = await guardCall(ctx.security, {
    toolName: request.method,
    server: serverName,
    eventType: relayEventType(request.method),
    caller: ctx.caller,
    args: request.params ?? {},
    forward: (params) =>
      ctx.server
        .request({ method: request.method, params } as never, AnyResult, {
          signal: request.signal,
          timeout: ctx.timeoutMs(),
          resetTimeoutOnProgress: true,
          ...(related !== undefined ? { relatedRequestId: related } : {}),
        })
        .catch((error: unknown) => {
          throw new UpstreamRpcError(clientError(error));
        }) as Promise<Params>,
  });
  if (!outcome.ok)
    throw new UpstreamRpcError({
      code: -32600,
      message: `${outcome.refusal.code}: ${outcome.refusal.message}`,
    });
  return outcome.value;
}

// What the client answered, as it answered it: the SDK puts its own "MCP error <code>: " before
// the message of an error it receives.
function clientError(error: unknown): RpcErrorShape {
  const e = error as { code?: unknown; message?: unknown; data?: unknown };
  if (typeof e?.code === 'number' && typeof e.message === 'string')
    return {
      code: e.code,
      message: ownMessage(e.message),
      ...(e.data !== undefined ? { data: e.data } : {}),
    };
  return { code: -32603, message: error instanceof Error ? error.message : String(error) };
}

// A notification from an upstream session to this session's client, tied to the call it belongs
// to. Log data goes through the server's PII policy (a log line can hold anything) and names the
// server in its logger; resource URIs are the gateway's. List changes are the caller's to send.
export function relayNotification(
  ctx: RelayContext,
  serverName: string,
  notification: UpstreamNotification,
  related: RequestId | undefined,
): void {
  let params = notification.params;
  if (notification.method === 'notifications/message' && params) {
    const policy = resolvePolicy(ctx.security.config(), serverName);
    const scanned = applyPolicyToValue(params.data, policy, ctx.security.policyContext());
    if (scanned.action === 'rejected') return;
    const logger =
      typeof params.logger === 'string' ? `${serverName}${ctx.separator()}${params.logger}` : serverName;
    params = { ...params, logger, data: scanned.value };
  } else if (notification.method === 'notifications/resources/updated' && typeof params?.uri === 'string') {
    params = { ...params, uri: namespacedUri(serverName, params.uri) };
  }
  void ctx.server
    .notification(
      { method: notification.method, ...(params ? { params } : {}) } as never,
      related !== undefined ? { relatedRequestId: related } : undefined,
    )
    .catch(() => undefined);
}
