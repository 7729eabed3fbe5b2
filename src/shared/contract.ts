import { z } from 'zod';
import { appInfoSchema } from './app-info';
import { call, event, query, type ContractApi, type ContractImpl, type RawContractApi } from './contract-kit';
import { engineStatusSchema } from './engine';
import {
  clashChoiceSchema,
  logLineSchema,
  orphanSchema,
  pullProgressSchema,
  serverNameSchema,
  serverSpecSchema,
  serverViewSchema,
} from './servers';
import { remoteSpecSchema, remoteViewSchema } from './remotes';
import { profileNameSchema, profileSchema, profileViewSchema, updateProfileInputSchema } from './profiles';
import {
  catalogAddedSchema,
  catalogAddInputSchema,
  catalogPageSchema,
  catalogProgressSchema,
  catalogRegistriesSchema,
  catalogSearchInputSchema,
  registryUrlSchema,
} from './registry';
import { clientConfigChangeSchema, clientIdSchema, snippetSchema } from './snippets';
import { consentDecisionSchema, consentRequestSchema } from './oauth';
import {
  grantSchema,
  issuedTokenSchema,
  oauthClientSchema,
  signingKeySchema,
  tokenInspectionSchema,
} from './oauth-admin';

import { gatewaySnippetSchema, gatewayStatusSchema, gatewayTargetSchema } from './gateway';
import { decideApprovalInputSchema, pendingApprovalSchema, setToolPolicyInputSchema } from './approvals';
import { approveToolsInputSchema, keepWithheldInputSchema, toolPinSchema } from './pins';
import { auditChainStatusSchema, auditEventSchema, auditQuerySchema } from './audit';
import {
  fernetKeysViewSchema,
  patternCheckSchema,
  patternsViewSchema,
  piiScanViewSchema,
  securityConfigSchema,
} from './security';

const byName = z.object({ name: serverNameSchema }).strict();
const secretValues = z.record(z.string(), z.string().min(1).max(16_384));
// waitForProbe: answer once the MCP probe has ended (the CLI prints its outcome); the panel
// shows the probe as it goes, so by default the call answers when the container runs.
// What "Add to client" writes: a server's own entry, or the gateway's (/mcp or a profile's).
const clientConfigTargetSchema = z.union([
  z.object({ client: clientIdSchema, server: serverNameSchema }).strict(),
  z.object({ client: clientIdSchema, gateway: gatewayTargetSchema }).strict(),
]);

const startInput = z
  .object({
    name: serverNameSchema,
    onClash: clashChoiceSchema.optional(),
    waitForProbe: z.boolean().optional(),
  })
  .strict();

// Every call and event between the UI and core. Adding a call is one line here plus its
// implementation in core; the IPC binding, the preload, the WebSocket bridge and the renderer's
// client all derive from this object.
export const contract = {
  app: {
    getInfo: query(appInfoSchema),
  },
  engine: {
    getStatus: query(engineStatusSchema),
    recheck: query(engineStatusSchema),
    onStatus: event(engineStatusSchema),
  },
  servers: {
    list: query(z.array(serverViewSchema)),
    // Secret values go in once and never come back out over the contract.
    add: call(
      z.object({ spec: serverSpecSchema, secretValues: secretValues.optional() }).strict(),
      serverViewSchema,
    ),
    update: call(
      z
        .object({ name: serverNameSchema, spec: serverSpecSchema, secretValues: secretValues.optional() })
        .strict(),
      serverViewSchema,
    ),
    remove: call(byName, z.null()),
    start: call(startInput, serverViewSchema),
    stop: call(byName, serverViewSchema),
    restart: call(startInput, serverViewSchema),
    removeContainer: call(byName, serverViewSchema),
    pull: call(byName, z.null()),
    probe: call(byName, serverViewSchema),
    logs: call(byName, z.array(logLineSchema)),
    orphans: query(z.array(orphanSchema)),
    removeOrphan: call(z.object({ id: z.string().min(1).max(128) }).strict(), z.null()),
    onChanged: event(z.array(serverViewSchema)),
    onPullProgress: event(pullProgressSchema.extend({ server: z.string() })),
    onLogs: event(z.object({ server: z.string(), lines: z.array(logLineSchema) })),
  },
  // Remote MCP servers (Streamable HTTP or legacy SSE), served through the gateway as containers are.
  remotes: {
    list: query(z.array(remoteViewSchema)),
    // A header secret's value (or a pre-registered OAuth client's secret) goes in once, never out.
    add: call(
      z.object({ spec: remoteSpecSchema, secretValues: secretValues.optional() }).strict(),
      remoteViewSchema,
    ),
    update: call(
      z
        .object({ name: serverNameSchema, spec: remoteSpecSchema, secretValues: secretValues.optional() })
        .strict(),
      remoteViewSchema,
    ),
    remove: call(byName, z.null()),
    // OAuth: starts the authorization (discovery, registration, PKCE) and answers the URL to open
    // in the user's browser; the redirect back to this app completes it.
    signIn: call(byName, z.object({ authorizationUrl: z.string() })),
    signOut: call(byName, remoteViewSchema),
    onChanged: event(z.array(remoteViewSchema)),
  },
  // Named selections of servers and tools, each served at its own endpoint (/mcp/p/<name>).
  profiles: {
    list: query(z.array(profileViewSchema)),
    add: call(profileSchema, profileViewSchema),
    update: call(updateProfileInputSchema, profileViewSchema),
    remove: call(z.object({ name: profileNameSchema }).strict(), z.null()),
    onChanged: event(z.array(profileViewSchema)),
  },
  // Servers found in MCP registries (the official one, private ones), installed as container or
  // remote servers.
  catalog: {
    registries: query(catalogRegistriesSchema),
    search: call(catalogSearchInputSchema, catalogPageSchema),
    add: call(catalogAddInputSchema, catalogAddedSchema),
    // Fetches a registry's whole listing into the cache now (progress on onProgress).
    refresh: call(z.object({ registry: registryUrlSchema.optional() }).strict(), catalogProgressSchema),
    onProgress: event(catalogProgressSchema),
  },
  snippets: {
    get: call(z.object({ client: clientIdSchema, server: serverNameSchema }).strict(), snippetSchema),
  },
  // Writes a server's entry, or the gateway's, into a client's own config file on this machine, and
  // takes it out again.
  // (The OAuth clients of MCP Dock's authorization server are `oauth.clients`.)
  clientConfigs: {
    add: call(clientConfigTargetSchema, clientConfigChangeSchema),
    remove: call(clientConfigTargetSchema, clientConfigChangeSchema),
    has: call(clientConfigTargetSchema, z.object({ path: z.string(), present: z.boolean() })),
  },

  // Authorization requests from MCP clients wait here for the person at the panel.
  oauth: {
    consents: query(z.array(consentRequestSchema)),
    decideConsent: call(
      z.object({ uid: z.string().min(1).max(200), decision: consentDecisionSchema }).strict(),
      z.boolean(),
    ),
    onConsents: event(z.array(consentRequestSchema)),
    // The Clients & Tokens pane.
    clients: query(z.array(oauthClientSchema)),
    createClient: call(
      z.object({ name: z.string().min(1).max(64), scope: z.string().max(200) }).strict(),
      z.object({ client_id: z.string(), client_secret: z.string() }),
    ),
    revokeClient: call(z.object({ clientId: z.string().min(1).max(200) }).strict(), z.null()),
    tokens: query(z.array(issuedTokenSchema)),
    revokeToken: call(z.object({ jti: z.string().min(1).max(200) }).strict(), z.null()),
    grants: query(z.array(grantSchema)),
    revokeGrant: call(z.object({ grantId: z.string().min(1).max(200) }).strict(), z.null()),
    resources: query(z.array(z.string())),
    createTestToken: call(
      z
        .object({
          clientId: z.string().min(1).max(200),
          scope: z.string().max(200),
          audience: z.string().min(1).max(500),
          ttlSeconds: z.number().int().min(60).max(86_400),
        })
        .strict(),
      z.object({
        access_token: z.string(),
        token_type: z.string(),
        expires_in: z.number(),
        scope: z.string(),
      }),
    ),
    inspectToken: call(z.object({ token: z.string().min(1).max(16_384) }).strict(), tokenInspectionSchema),
    onChanged: event(z.object({ at: z.iso.datetime() })),
    signingKeys: query(z.array(signingKeySchema)),
    rotateSigningKey: query(z.array(signingKeySchema)),
  },
  security: {
    getConfig: query(securityConfigSchema),
    setConfig: call(securityConfigSchema, securityConfigSchema),
    // The PII Tester: findings (offsets into the text the caller holds) and every policy's outcome.
    scan: call(
      z.object({ text: z.string().max(1_000_000), threshold: z.number().min(0).max(1).optional() }).strict(),
      piiScanViewSchema,
    ),
    patterns: query(patternsViewSchema),
    savePatterns: call(z.object({ text: z.string().max(200_000) }).strict(), patternsViewSchema),
    checkPattern: call(
      z.object({ pattern: z.string().min(1).max(2000), flags: z.string().max(8).optional() }).strict(),
      patternCheckSchema,
    ),
    fernetKeys: query(fernetKeysViewSchema),
    rotateFernetKey: query(fernetKeysViewSchema),
  },
  audit: {
    query: call(auditQuerySchema, z.array(auditEventSchema)),
    verify: query(auditChainStatusSchema),
    export: call(
      z.object({ query: auditQuerySchema, format: z.enum(['jsonl', 'csv']) }).strict(),
      z.string(),
    ),
    // Batched: at a thousand events a second one message per event would flood the bridge.
    onEvents: event(z.array(auditEventSchema)),
  },
  // The one secured endpoint (/mcp) in front of every running server.
  gateway: {
    status: query(gatewayStatusSchema),
    setToolEnabled: call(
      z.object({ server: serverNameSchema, tool: z.string().min(1).max(200), enabled: z.boolean() }).strict(),
      gatewayStatusSchema,
    ),
    // The entry for /mcp, or with `profile` for that profile's endpoint.
    snippet: call(gatewayTargetSchema.extend({ client: clientIdSchema }).strict(), gatewaySnippetSchema),
    // A tool's call policy (tool '*': the server's default; policy null: unset).
    setToolPolicy: call(setToolPolicyInputSchema, gatewayStatusSchema),
    // Every server's pinned tools: approved, changed or new, with both definitions and findings.
    pins: query(z.array(toolPinSchema)),
    approveTools: call(approveToolsInputSchema, z.array(toolPinSchema)),
    keepWithheld: call(keepWithheldInputSchema, toolPinSchema),
    // Upstreams connecting or going away, sessions opening, tools switched, pins changing: re-read
    // status (and pins).
    onChanged: event(z.object({ at: z.iso.datetime() })),
  },
  // Calls held for a person by an `ask` call policy.
  approvals: {
    list: query(z.array(pendingApprovalSchema)),
    decide: call(decideApprovalInputSchema, pendingApprovalSchema),
    // The held calls, whenever one is added or answered.
    onChanged: event(z.array(pendingApprovalSchema)),
  },
} as const;

export type Contract = typeof contract;
export type DockApi = ContractApi<Contract>;
export type DockImpl = ContractImpl<Contract>;
export type RawDockApi = RawContractApi<Contract>;
