import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

export const FIND_TOOLS = 'find_tools';
export const CALL_TOOL = 'call_tool';
export const DEFAULT_FIND_LIMIT = 5;

// In search mode these two stand in for every tool: the model asks for what it needs, then calls
// it by name. A few hundred tokens in the context instead of every schema.
export const SEARCH_TOOL_DEFINITIONS: Tool[] = [
  {
    name: FIND_TOOLS,
    title: 'Find tools',
    description:
      'Search the tools available here for the ones that fit a task. Describe what you want to do in plain words (e.g. "read a file", "open a pull request", "query the database"). Answers the best-matching tools, best first, each with its name, description and input schema; call one with call_tool.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'What you want to do, in plain words.' },
        limit: {
          type: 'integer',
          minimum: 1,
          maximum: 20,
          description: `How many tools to answer (default ${DEFAULT_FIND_LIMIT}).`,
        },
      },
      required: ['query'],
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  {
    name: CALL_TOOL,
    title: 'Call a tool',
    description:
      'Call a tool that find_tools answered, by its exact name, with arguments that match its input schema. Answers what the tool answers.',
    inputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'The tool name find_tools gave.' },
        arguments: { type: 'object', description: 'The tool’s arguments, as its input schema says.' },
      },
      required: ['name'],
    },
  },
];

export const findToolsInputSchema = z.object({
  query: z.string().trim().min(1, 'say what you want to do').max(1000),
  limit: z.number().int().min(1).max(20).default(DEFAULT_FIND_LIMIT),
});

export const callToolInputSchema = z.object({
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()).optional(),
});
