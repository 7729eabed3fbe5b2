import { createHash } from 'node:crypto';
import type { PinnedDefinition } from '../../../../shared/pins';

type Json = Record<string, unknown>;

// The parts of a listed tool that are pinned; anything else a server adds (`_meta`, icons,
// execution hints) can change without asking the user again.
export function pinnedDefinition(tool: Json): PinnedDefinition {
  const out: PinnedDefinition = { name: String(tool.name) };
  if (typeof tool.title === 'string') out.title = tool.title;
  if (typeof tool.description === 'string') out.description = tool.description;
  if (tool.inputSchema !== undefined) out.inputSchema = tool.inputSchema;
  if (tool.outputSchema !== undefined) out.outputSchema = tool.outputSchema;
  if (tool.annotations !== undefined) out.annotations = tool.annotations;
  return out;
}

// Keys sorted at every level, so a server that sends the same definition in another key order
// keeps its pin.
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Json)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function definitionHash(definition: PinnedDefinition): string {
  return createHash('sha256').update(canonical(definition)).digest('hex');
}
