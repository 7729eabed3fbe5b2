import { z } from 'zod';
import { callPolicySchema } from './approvals';
import { piiPolicySchema } from './security';
import { serverNameSchema } from './servers';

// A profile's name is a path segment of its endpoint (/mcp/p/<name>) and a word in shell lines.
export const profileNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,39}$/,
    'use lowercase letters, digits and "-" (max 40), starting with a letter or digit',
  );

export const PROFILE_PATH_PREFIX = '/mcp/p/';
export const profilePath = (name: string) => `${PROFILE_PATH_PREFIX}${name}`;

// One tool of one server, by its upstream name.
export const profileToolSchema = z
  .object({ server: serverNameSchema, tool: z.string().min(1).max(200) })
  .strict();
export type ProfileTool = z.infer<typeof profileToolSchema>;

// A named selection of servers (every tool, prompt and resource of each) and single tools, served
// at its own endpoint. Its call policy and PII policy, when set, stand in for the servers' own
// defaults for calls made through it; a policy set for one tool still wins, being more specific.
export const profileSchema = z
  .object({
    name: profileNameSchema,
    description: z.string().max(500).optional(),
    servers: z.array(serverNameSchema).max(500).default([]),
    tools: z.array(profileToolSchema).max(5000).default([]),
    // MCP Dock's own security and OAuth tools.
    ownTools: z.boolean().default(false),
    // The client sees find_tools and call_tool instead of every tool.
    search: z.boolean().default(false),
    callPolicy: callPolicySchema.optional(),
    piiPolicy: piiPolicySchema.optional(),
  })
  .strict();
export type Profile = z.infer<typeof profileSchema>;
export type ProfileInput = z.input<typeof profileSchema>;

// A profile as the panel and `profiles list --json` show it.
export const profileViewSchema = profileSchema.extend({
  // Its Streamable HTTP endpoint.
  url: z.string(),
  // Selected servers that no longer exist (their tools are simply absent until they return).
  missingServers: z.array(z.string()),
});
export type ProfileView = z.infer<typeof profileViewSchema>;

export const updateProfileInputSchema = z
  .object({ name: profileNameSchema, profile: profileSchema })
  .strict();
