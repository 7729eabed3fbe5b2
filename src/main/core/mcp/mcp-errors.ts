import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

// The SDK's McpError writes "MCP error <code>: " in front of its message, its server sends that
// message as it is, and its client puts another prefix in front of what arrives. So an error
// from any SDK-built server reads "MCP error -32602: MCP error -32602: Unknown tool" at an SDK
// client (modelcontextprotocol/typescript-sdk#288), and once more per hop: the gateway relays
// upstream errors. The code travels in JSON-RPC's own `code` field; the prefixes say nothing more.
const SDK_PREFIXES = /^(?:MCP error -?\d+: )+/;
const SDK_PREFIX = /^MCP error -?\d+: /;

// The message an McpError was made with: the one prefix its constructor added taken off. What a
// relayed error said (prefixes of other hops included) is kept as it was sent.
export function ownMessage(message: string): string {
  return message.replace(SDK_PREFIX, '');
}

export function stripMcpErrorPrefix(message: string): string {
  return message.replace(SDK_PREFIXES, '');
}

// What an MCP failure says, for a reason shown to people: no JSON-RPC codes.
export function mcpErrorText(error: unknown): string {
  return stripMcpErrorPrefix(error instanceof Error ? error.message : String(error));
}

// Our servers send error messages bare, as JSON-RPC means them; a client adds its own prefix. Only
// the prefix our side's McpError added is taken off: an upstream's message passes through as the
// upstream sent it, so a client sees what it would see from the server directly.
// Wraps `send` in place (the SDK's Protocol sets the transport's handlers, so a copy would not do).
export function withBareErrorMessages<T extends Transport>(transport: T): T {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => send(bareError(message), options);
  return transport;
}

function bareError(message: JSONRPCMessage): JSONRPCMessage {
  if (!('error' in message) || typeof message.error?.message !== 'string') return message;
  const bare = ownMessage(message.error.message);
  if (bare === message.error.message) return message;
  return { ...message, error: { ...message.error, message: bare } };
}
