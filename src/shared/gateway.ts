import { z } from 'zod';
import { profileNameSchema } from './profiles';
import { callPolicySchema, callPolicySourceSchema } from './approvals';
import { pinStatusSchema } from './pins';
import { clientIdSchema, snippetFormatSchema } from './snippets';

// gateway.json in the data directory.
export const gatewaySettingsSchema = z
  .object({
    version: z.literal(1).default(1),
    // Upstream tools appear as <server><separator><tool>.
    separator: z
      .string()
      .regex(/^[_.-]{1,3}$/, 'one to three of _ . -')
      .default('__'),
    // One upstream call may take this long (progress notifications restart the clock).
    callTimeoutMs: z.number().int().min(1000).max(3_600_000).default(60_000),
    // Largest JSON-RPC body /mcp accepts.
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(4 * 1024 * 1024),
    // Tools switched off per server, by their upstream names; hidden from lists and refused.
    disabledTools: z.record(z.string().min(1), z.array(z.string().min(1))).default({}),
    // A /mcp session with no request in flight and no stream open for this long is closed; the
    // client starts a new one (Streamable HTTP clients do on 404).
    sessionIdleTimeoutMs: z.number().int().min(1000).max(86_400_000).default(600_000),
    // Sessions one OAuth client may hold; a new one closes that client's longest-idle session.
    maxSessionsPerClient: z.number().int().min(1).max(10_000).default(32),
    // Pin each server's tool definitions and withhold a changed or new one until a person approves
    // it (tool-pins.json). Off: every listed tool is served as the server lists it.
    pinTools: z.boolean().default(true),
    // Call policies: per server, a default for its tools and a policy per tool (by upstream name).
    callPolicies: z
      .record(
        z.string().min(1),
        z
          .object({
            default: callPolicySchema.optional(),
            tools: z.record(z.string().min(1), callPolicySchema).default({}),
          })
          .strict(),
      )
      .default({}),
    // What a tool that says it is destructive (destructiveHint without readOnlyHint) gets when no
    // policy is set for it or its server.
    destructiveToolPolicy: callPolicySchema.default('ask'),
    // A held call nobody answers within this long is denied.
    approvalTimeoutMs: z.number().int().min(1000).max(86_400_000).default(120_000),
    // Also ask in the calling client (elicitation), where it declared it.
    askInClient: z.boolean().default(false),
    // /mcp serves find_tools and call_tool instead of every tool (profiles have their own switch).
    toolSearch: z.boolean().default(false),
    // Tools a person always allows for a client: client id -> ["<server>/<tool>", ...].
    alwaysAllowed: z.record(z.string().min(1), z.array(z.string().min(1))).default({}),
  })
  .strict();
export type GatewaySettings = z.infer<typeof gatewaySettingsSchema>;
export type GatewaySettingsInput = z.input<typeof gatewaySettingsSchema>;

export const upstreamStateSchema = z.enum(['connecting', 'ready', 'down']);

export const gatewayToolSchema = z.object({
  // As clients see it.
  name: z.string(),
  upstreamName: z.string(),
  description: z.string().optional(),
  enabled: z.boolean(),
  // Whether the definition the server lists now is the approved one (always approved while pinning
  // is off).
  pin: pinStatusSchema,
  callPolicy: callPolicySchema,
  callPolicySource: callPolicySourceSchema,
});
export type GatewayTool = z.infer<typeof gatewayToolSchema>;

export const gatewayServerSchema = z.object({
  server: z.string(),
  state: upstreamStateSchema,
  reason: z.string().optional(),
  tools: z.array(gatewayToolSchema),
  prompts: z.number().int().min(0),
  resources: z.number().int().min(0),
  callsPerMinute: z.number().min(0),
  // Upstream sessions gateway clients hold with the server now: each is a server process in its
  // container (a container of its own in run mode).
  clientSessions: z.number().int().min(0),
  policy: z.string(),
});
export type GatewayServerView = z.infer<typeof gatewayServerSchema>;

export const gatewaySessionSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  // The profile whose endpoint the session is on (none: /mcp).
  profile: z.string().optional(),
  clientName: z.string().optional(),
  lastSeen: z.iso.datetime(),
});

export const gatewayStatusSchema = z.object({
  url: z.string(),
  sessions: z.array(gatewaySessionSchema),
  servers: z.array(gatewayServerSchema),
  // Our own security and OAuth tools, always served.
  ownTools: z.array(z.string()),
  callsPerMinute: z.number().min(0),
  pinTools: z.boolean(),
});
export type GatewayStatus = z.infer<typeof gatewayStatusSchema>;

export const GATEWAY_ENTRY_NAME = 'mcp-dock';
// A profile's entry sits beside the gateway's in the same client config.
export const gatewayEntryName = (profile?: string) =>
  profile ? `${GATEWAY_ENTRY_NAME}-${profile}` : GATEWAY_ENTRY_NAME;

// Which of the gateway's endpoints: /mcp, or a profile's /mcp/p/<name>.
export const gatewayTargetSchema = z
  .object({ form: z.enum(['url', 'stdio']), profile: profileNameSchema.optional() })
  .strict();
export type GatewayTarget = z.infer<typeof gatewayTargetSchema>;

// The gateway as a client's config entry: by URL (the client does OAuth itself) or as a stdio
// command (`mcp-dock gateway --stdio`, which authenticates with a credential MCP Dock keeps).
export const gatewaySnippetSchema = z.object({
  client: clientIdSchema,
  form: z.enum(['url', 'stdio']),
  entryName: z.string(),
  format: snippetFormatSchema,
  text: z.string(),
  url: z.string(),
  launch: z
    .object({
      command: z.string(),
      args: z.array(z.string()),
      env: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  configPath: z.string().optional(),
  // The profile whose endpoint this is (none: /mcp, every server).
  profile: z.string().optional(),
  // A one-click install link, where the client has one.
  deepLink: z.string().optional(),
  // How the client gets in: one sentence for the pane.
  note: z.string(),
});
export type GatewaySnippet = z.infer<typeof gatewaySnippetSchema>;
