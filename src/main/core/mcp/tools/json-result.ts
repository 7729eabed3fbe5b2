import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

// Tools answer with JSON twice: as text for clients that only show text, and structured.
export function jsonResult(data: object): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(data, null, 2) }],
    structuredContent: data as Record<string, unknown>,
  };
}
