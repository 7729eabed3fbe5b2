import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

// The SDK's McpError writes "MCP error <code>: " in front of its message, its server sends that
// message as it is, and its client puts another prefix in front of what arrives. So an error
// from any SDK-built server reads "MCP error -32602: MCP error -32602: Unknown tool" at an SDK
// client (modelcontextprotocol/typescript-sdk#288), and once more per hop: the gateway relays
// upstream errors. The code travels in JSON-RPC's own `code` field; the prefixes say nothing more.
const SDK_PREFIXES = /^(?:MCP error -?\d+: )+/;

export function stripMcpErrorPrefix(message: string): string {
  return message.replace(SDK_PREFIXES, '');
}

// What an MCP failure says, for a reason shown to people: no JSON-RPC codes.
export function mcpErrorText(error: unknown): string {
  return stripMcpErrorPrefix(error instanceof Error ? error.message : String(error));
}

// Our servers send error messages bare, as JSON-RPC means them; a client adds its own prefix.
// Wraps `send` in place (the SDK's Protocol sets the transport's handlers, so a copy would not do).
export function withBareErrorMessages<T extends Transport>(transport: T): T {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => send(bareError(message), options);
  return transport;
}

function bareError(message: JSONRPCMessage): JSONRPCMessage {
  if (!('error' in message) || typeof message.error?.message !== 'string') return message;
  const bare = stripMcpErrorPrefix(message.error.message);
  if (bare === message.error.message) return message;
  return { ...message, error: { ...message.error, message: bare } };
}
