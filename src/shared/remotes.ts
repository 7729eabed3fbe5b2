import { z } from 'zod';
import { serverNameSchema, toolSummarySchema } from './servers';

// A secret's name in the remote server's slot of the secret store (as `--secret K` for containers).
export const remoteSecretNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'a secret name (letters, digits and "_")');

// An HTTP header name (RFC 9110 token), lowercase-insensitive; the ones the transport sets itself
// cannot be overridden.
const RESERVED_HEADERS = [
  'content-type',
  'accept',
  'mcp-session-id',
  'mcp-protocol-version',
  'host',
  'content-length',
];
export const headerNameSchema = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/, 'an HTTP header name (e.g. Authorization, X-API-Key)')
  .refine((name) => !RESERVED_HEADERS.includes(name.toLowerCase()), {
    message: `the transport sets this header itself (${RESERVED_HEADERS.join(', ')})`,
  });

// How MCP Dock proves itself to the remote server: nothing; a header whose value is a secret in
// the store; or OAuth as an MCP client (the MCP authorization spec), with a pre-registered client
// id when the authorization server does not take dynamic registration or client metadata URLs.
export const remoteAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  z.object({ type: z.literal('header'), header: headerNameSchema, secret: remoteSecretNameSchema }).strict(),
  z
    .object({
      type: z.literal('oauth'),
      clientId: z.string().min(1).max(255).optional(),
      // With clientId, for a confidential pre-registered client: the secret's name in the store.
      clientSecret: remoteSecretNameSchema.optional(),
      // A Client ID Metadata Document: an https URL where MCP Dock's client metadata is published
      // (by you or your organisation; it must list this app's redirect URI). Used as the client id
      // where the authorization server supports such documents, instead of registering.
      clientMetadataUrl: z
        .url({ protocol: /^https$/, error: 'an https:// URL (the metadata document MCP Dock is known by)' })
        .refine((u) => new URL(u).pathname !== '/', 'a URL with a path (the document, not the site)')
        .optional(),
      scopes: z
        .array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'a scope token'))
        .max(50)
        .optional(),
    })
    .strict(),
]);
export type RemoteAuth = z.infer<typeof remoteAuthSchema>;

// streamable-http: the current transport. sse: the legacy HTTP+SSE transport (2024-11-05).
// auto: Streamable HTTP, and the legacy one when the server answers the first POST with 400, 404
// or 405 (the spec's backwards-compatibility rule).
export const remoteTransportSchema = z.enum(['auto', 'streamable-http', 'sse']);

export const remoteUrlSchema = z
  .string()
  .max(2048)
  .pipe(z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }))
  .refine((url) => {
    const u = new URL(url);
    return u.username === '' && u.password === '';
  }, 'credentials do not go in the URL: use --header-secret or OAuth');

export const remoteSpecSchema = z
  .object({
    name: serverNameSchema,
    description: z.string().max(500).optional(),
    url: remoteUrlSchema,
    transport: remoteTransportSchema.default('auto'),
    auth: remoteAuthSchema.default({ type: 'none' }),
    // Where it came from, when a registry entry made it (shown on the card).
    registryEntry: z.string().max(300).optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.auth.type === 'oauth' && spec.auth.clientSecret && !spec.auth.clientId)
      ctx.addIssue({
        code: 'custom',
        path: ['auth', 'clientSecret'],
        message: 'a client secret needs its clientId',
      });
  });
export type RemoteSpec = z.infer<typeof remoteSpecSchema>;
export type RemoteSpecInput = z.input<typeof remoteSpecSchema>;

// unknown: this process does not connect to remote servers (a CLI command); connecting, ready and
// down: the gateway's session with it; signed-out: OAuth without a usable token (sign in first).
export const remoteStateSchema = z.enum(['unknown', 'connecting', 'ready', 'down', 'signed-out']);
export type RemoteState = z.infer<typeof remoteStateSchema>;

export const remoteViewSchema = z.object({
  spec: remoteSpecSchema,
  state: remoteStateSchema,
  reason: z.string().optional(),
  // Which transport answered (auto picks one at the first connection).
  transport: z.enum(['streamable-http', 'sse']).optional(),
  tools: z.array(toolSummarySchema),
  secretsSet: z.array(z.string()),
  // OAuth: whether tokens are stored, and when the access token expires.
  signedIn: z.boolean().optional(),
  tokenExpiresAt: z.string().optional(),
  // A sign-in waiting for the browser: where to send the user.
  signInUrl: z.string().optional(),
});
export type RemoteView = z.infer<typeof remoteViewSchema>;
