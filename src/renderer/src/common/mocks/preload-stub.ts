import type { RemoteView } from '../../../../shared/remotes';
import { profilePath, type Profile, type ProfileView } from '../../../../shared/profiles';
import { vi } from 'vitest';
import { AUDIT_GENESIS_HASH, type AuditChainStatus, type AuditEvent } from '../../../../shared/audit';
import type { RawDockApi } from '../../../../shared/contract';
import type { Envelope } from '../../../../shared/contract-kit';
import type { EngineStatus } from '../../../../shared/engine';
import type { GatewaySnippet, GatewayStatus } from '../../../../shared/gateway';
import type { ServerView } from '../../../../shared/servers';
import type { ToolPin } from '../../../../shared/pins';
import type { PendingApproval } from '../../../../shared/approvals';

export const REACHABLE: EngineStatus = {
  state: 'reachable',
  endpoint: 'unix:///var/run/docker.sock',
  source: 'default socket',
  checkedAt: '2026-11-22T00:00:00.000Z',
  product: 'Docker Engine',
  version: '28.2.2',
  apiVersion: '1.50',
  os: 'linux',
  arch: 'amd64',
};

export const UNREACHABLE: EngineStatus = {
  state: 'unreachable',
  endpoint: 'unix:///var/run/docker.sock',
  source: 'default socket',
  checkedAt: '2026-11-22T00:00:00.000Z',
  reason: 'nothing is listening at /var/run/docker.sock',
  hint: 'Start Docker Desktop.',
};

// What gateway.status answers until a test sets another: the gateway up, nothing behind it yet.
export const EMPTY_GATEWAY_STATUS: GatewayStatus = {
  url: 'http://127.0.0.1:8081/mcp',
  sessions: [],
  servers: [],
  ownTools: [
    'test_pii_detection',
    'test_encryption',
    'get_oauth2_server_status',
    'create_oauth2_test_token',
    'get_oauth2_flow_guide',
    'validate_oauth2_setup',
    'simulate_data_breach_detection',
    'get_security_audit_log',
    'generate_security_report',
  ],
  callsPerMinute: 0,
  pinTools: true,
};

// A gateway snippet shaped like core's, for the client and form asked.
export function gatewaySnippetFixture(
  client: GatewaySnippet['client'],
  form: GatewaySnippet['form'],
  profile?: string,
): GatewaySnippet {
  const url = profile ? `${EMPTY_GATEWAY_STATUS.url}/p/${profile}` : EMPTY_GATEWAY_STATUS.url;
  const launch = {
    command: 'mcp-dock',
    args: ['gateway', '--stdio', ...(profile ? ['--profile', profile] : [])],
  };
  const name = profile ? `mcp-dock-${profile}` : 'mcp-dock';
  const entry = form === 'url' ? { url } : launch;
  const shell = client === 'claude-code';
  return {
    client,
    form,
    entryName: name,
    format: shell ? 'shell' : 'json',
    text: shell
      ? form === 'url'
        ? `claude mcp add --transport http ${name} ${url}`
        : `claude mcp add ${name} -- ${[launch.command, ...launch.args].join(' ')}`
      : JSON.stringify({ mcpServers: { [name]: entry } }, null, 2),
    url,
    ...(profile ? { profile } : {}),
    ...(form === 'stdio' ? { launch } : {}),
    ...(shell ? {} : { configPath: `/home/me/.config/${client}/mcp.json` }),
    note:
      form === 'url'
        ? `${client} signs in to MCP Dock with OAuth the first time it connects.`
        : 'The stdio command uses a credential MCP Dock keeps; the client signs in to nothing.',
  };
}

// A typed stand-in for window.mcpDock, rebuilt per test: if the contract changes, this stops compiling.
export function createPreloadStub(initial: EngineStatus = REACHABLE) {
  let status = initial;
  const listeners = new Set<(payload: unknown) => void>();
  const serverListeners = new Set<(payload: unknown) => void>();
  const servers: ServerView[] = [];
  const consents: unknown[] = [];
  const consentListeners = new Set<(payload: unknown) => void>();
  const auditListeners = new Set<(payload: unknown) => void>();
  const auditEvents: AuditEvent[] = [];
  const chain: AuditChainStatus = { ok: true, records: 0, files: 0, head: AUDIT_GENESIS_HASH };
  let gatewayStatus: GatewayStatus = structuredClone(EMPTY_GATEWAY_STATUS);
  let pins: ToolPin[] = [];
  const held: PendingApproval[] = [];
  const remotes: RemoteView[] = [];
  const remoteListeners = new Set<(payload: unknown) => void>();
  // As core: profiles kept in memory, names unique, each with its endpoint.
  let profiles: ProfileView[] = [];
  const profileListeners = new Set<(payload: unknown) => void>();
  const profileView = (p: Profile): ProfileView => ({
    ...p,
    url: `http://127.0.0.1:8081${profilePath(p.name)}`,
    missingServers: [],
  });
  const profilesChanged = () => profileListeners.forEach((l) => l(structuredClone(profiles)));
  const profileMissing = (name: string) => ({
    ok: false as const,
    error: { code: 'PROFILE_NOT_FOUND' as const, message: `No profile named "${name}".` },
  });
  const profileExists = (name: string) => ({
    ok: false as const,
    error: { code: 'PROFILE_EXISTS' as const, message: `A profile named "${name}" exists already.` },
  });
  const approvalListeners = new Set<(payload: unknown) => void>();
  const gatewayListeners = new Set<(payload: unknown) => void>();
  const ok = (value: unknown) => ({ ok: true as const, value });
  // Tests that need a call to answer override its mock; the rest say so instead of guessing.
  const notHere = {
    ok: false as const,
    error: { code: 'INTERNAL' as const, message: 'not stubbed in this test' },
  };
  const subscribe = (set: Set<(payload: unknown) => void>, listener: (payload: unknown) => void) => {
    set.add(listener);
    return () => set.delete(listener);
  };
  const raw = {
    app: {
      getInfo: vi.fn(async () => ({
        ok: true as const,
        value: {
          name: 'MCP Dock',
          version: '0.1.0',
          mode: 'desktop',
          dataDir: '/d',
          httpUrl: 'http://127.0.0.1:8081',
        },
      })),
    },
    engine: {
      getStatus: vi.fn(async () => ({ ok: true as const, value: status })),
      recheck: vi.fn(async () => ({ ok: true as const, value: status })),
      onStatus: vi.fn((listener: (payload: unknown) => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      }),
    },
    servers: {
      list: vi.fn(async () => ok(servers)),
      add: vi.fn(async () => notHere),
      update: vi.fn(async () => notHere),
      remove: vi.fn(async () => ok(null)),
      start: vi.fn(async () => notHere),
      stop: vi.fn(async () => notHere),
      restart: vi.fn(async () => notHere),
      removeContainer: vi.fn(async () => notHere),
      pull: vi.fn(async () => ok(null)),
      probe: vi.fn(async () => notHere),
      logs: vi.fn(async () => ok([])),
      orphans: vi.fn(async () => ok([])),
      removeOrphan: vi.fn(async () => ok(null)),
      onChanged: vi.fn((listener: (payload: unknown) => void) => subscribe(serverListeners, listener)),
      onPullProgress: vi.fn(() => () => undefined),
      onLogs: vi.fn(() => () => undefined),
    },
    snippets: {
      get: vi.fn(async () => notHere),
    },
    oauth: {
      consents: vi.fn(async () => ok(consents)),
      decideConsent: vi.fn(async () => ok(true)),
      onConsents: vi.fn((listener: (payload: unknown) => void) => subscribe(consentListeners, listener)),
      clients: vi.fn(async () => ok([])),
      createClient: vi.fn(async () => notHere),
      revokeClient: vi.fn(async () => ok(null)),
      tokens: vi.fn(async () => ok([])),
      revokeToken: vi.fn(async () => ok(null)),
      grants: vi.fn(async () => ok([])),
      revokeGrant: vi.fn(async () => ok(null)),
      resources: vi.fn(async () => ok(['http://127.0.0.1:8081/mcp', 'http://127.0.0.1:8081'])),
      createTestToken: vi.fn(async () => notHere),
      inspectToken: vi.fn(async () => notHere),
      onChanged: vi.fn(() => () => undefined),
      signingKeys: vi.fn(async () => ok([{ kid: 'k1', createdAt: 1, current: true }])),
      rotateSigningKey: vi.fn(async () => ok([{ kid: 'k2', createdAt: 2, current: true }])),
    },
    remotes: {
      list: vi.fn(async (): Promise<Envelope> => ok(structuredClone(remotes))),
      add: vi.fn(async (_input: unknown): Promise<Envelope> => notHere),
      update: vi.fn(async (_input: unknown): Promise<Envelope> => notHere),
      remove: vi.fn(async (_input: unknown): Promise<Envelope> => ok(null)),
      signIn: vi.fn(async (_input: unknown): Promise<Envelope> => notHere),
      signOut: vi.fn(async (_input: unknown): Promise<Envelope> => notHere),
      onChanged: vi.fn((listener: (payload: unknown) => void) => subscribe(remoteListeners, listener)),
    },
    profiles: {
      list: vi.fn(async (): Promise<Envelope> => ok(structuredClone(profiles))),
      add: vi.fn(async (input: unknown): Promise<Envelope> => {
        const profile = input as Profile;
        if (profiles.some((p) => p.name === profile.name)) return profileExists(profile.name);
        profiles = [...profiles, profileView(profile)];
        profilesChanged();
        return ok(profileView(profile));
      }),
      update: vi.fn(async (input: unknown): Promise<Envelope> => {
        const { name, profile } = input as { name: string; profile: Profile };
        if (!profiles.some((p) => p.name === name)) return profileMissing(name);
        if (profile.name !== name && profiles.some((p) => p.name === profile.name))
          return profileExists(profile.name);
        profiles = profiles.map((p) => (p.name === name ? profileView(profile) : p));
        profilesChanged();
        return ok(profileView(profile));
      }),
      remove: vi.fn(async (input: unknown): Promise<Envelope> => {
        const { name } = input as { name: string };
        if (!profiles.some((p) => p.name === name)) return profileMissing(name);
        profiles = profiles.filter((p) => p.name !== name);
        profilesChanged();
        return ok(null);
      }),
      onChanged: vi.fn((listener: (payload: unknown) => void) => subscribe(profileListeners, listener)),
    },
    catalog: {
      registries: vi.fn(async (): Promise<Envelope> =>
        ok({ registries: ['https://registry.modelcontextprotocol.io'], onlyThese: false }),
      ),
      search: vi.fn(async (_input: unknown): Promise<Envelope> => notHere),
      add: vi.fn(async (_input: unknown): Promise<Envelope> => notHere),
      refresh: vi.fn(async (_input: unknown): Promise<Envelope> => notHere),
      onProgress: vi.fn(() => () => undefined),
    },
    clientConfigs: {
      add: vi.fn(async () => notHere),
      remove: vi.fn(async () => notHere),
      has: vi.fn(async () => notHere),
    },
    // Typed as any envelope, so a test can make any of these fail or answer differently.
    security: {
      getConfig: vi.fn(async (): Promise<Envelope> =>
        ok({
          version: 1,
          default: { action: 'mask', entities: {}, maskStyle: 'asterisks' },
          servers: {},
          threshold: 0.5,
          scanTimeBudgetMs: 250,
        }),
      ),
      setConfig: vi.fn(async (_input: unknown): Promise<Envelope> => notHere),
      scan: vi.fn(async (_input: unknown): Promise<Envelope> => notHere),
      patterns: vi.fn(async (): Promise<Envelope> =>
        ok({ file: '/d/pii_patterns.json', text: '{\n  "patterns": {}\n}\n', count: 0 }),
      ),
      savePatterns: vi.fn(async (_input: unknown): Promise<Envelope> => notHere),
      checkPattern: vi.fn(async (_input: unknown): Promise<Envelope> => ok({ safe: true })),
      fernetKeys: vi.fn(async (): Promise<Envelope> => ok({ count: 1, where: 'the secret store' })),
      rotateFernetKey: vi.fn(async (): Promise<Envelope> => ok({ count: 2, where: 'the secret store' })),
    },
    audit: {
      // Newest first, as core answers by default; tests filling `auditEvents` keep that order.
      query: vi.fn(async (_input: unknown): Promise<Envelope> => ok(auditEvents)),
      verify: vi.fn(async (): Promise<Envelope> => ok(chain)),
      export: vi.fn(async (_input: unknown): Promise<Envelope> => ok('')),
      onEvents: vi.fn((listener: (payload: unknown) => void) => subscribe(auditListeners, listener)),
    },
    gateway: {
      status: vi.fn(async (): Promise<Envelope> => ok(structuredClone(gatewayStatus))),
      // Switches the tool in the stub's status, as core would, and answers the new status.
      setToolEnabled: vi.fn(async (input: unknown): Promise<Envelope> => {
        const { server, tool, enabled } = input as { server: string; tool: string; enabled: boolean };
        const found = gatewayStatus.servers
          .find((s) => s.server === server)
          ?.tools.find((t) => t.upstreamName === tool);
        if (!found) {
          return { ok: false, error: { code: 'SERVER_NOT_FOUND', message: `no tool ${tool} on ${server}` } };
        }
        found.enabled = enabled;
        return ok(structuredClone(gatewayStatus));
      }),
      // Sets the tool's policy in the stub's status, as core would.
      setToolPolicy: vi.fn(async (input: unknown): Promise<Envelope> => {
        const { server, tool, policy } = input as {
          server: string;
          tool: string;
          policy: 'allow' | 'ask' | 'deny' | null;
        };
        const found = gatewayStatus.servers
          .find((s) => s.server === server)
          ?.tools.find((t) => t.upstreamName === tool);
        if (found) {
          found.callPolicy = policy ?? 'allow';
          found.callPolicySource = policy ? 'tool' : 'default';
        }
        return ok(structuredClone(gatewayStatus));
      }),
      pins: vi.fn(async (): Promise<Envelope> => ok(structuredClone(pins))),
      // As core: what waits becomes approved (or stays, kept), and the status follows.
      approveTools: vi.fn(async (input: unknown): Promise<Envelope> => {
        const { server, tools } = input as { server: string; tools?: string[] };
        const approved = pins.filter(
          (p) => p.server === server && p.status !== 'approved' && (!tools || tools.includes(p.tool)),
        );
        for (const pin of approved) {
          pin.approved = {
            hash: pin.hash,
            definition: pin.pending!.definition,
            at: '2026-11-22T12:00:00.000Z',
            by: 'panel',
          };
          delete pin.pending;
          pin.status = 'approved';
          pin.findings = [];
          const tool = gatewayStatus.servers
            .find((s) => s.server === server)
            ?.tools.find((t) => t.upstreamName === pin.tool);
          if (tool) tool.pin = 'approved';
        }
        return ok(structuredClone(approved));
      }),
      keepWithheld: vi.fn(async (input: unknown): Promise<Envelope> => {
        const { server, tool } = input as { server: string; tool: string };
        const pin = pins.find((p) => p.server === server && p.tool === tool && p.pending);
        if (!pin)
          return {
            ok: false,
            error: { code: 'PIN_NOT_FOUND', message: `${server} ${tool}: nothing waits for approval` },
          };
        pin.pending!.kept = true;
        return ok(structuredClone(pin));
      }),
      snippet: vi.fn(async (input: unknown): Promise<Envelope> => {
        const { client, form, profile } = input as {
          client: GatewaySnippet['client'];
          form: GatewaySnippet['form'];
          profile?: string;
        };
        return ok(gatewaySnippetFixture(client, form, profile));
      }),
      onChanged: vi.fn((listener: (payload: unknown) => void) => subscribe(gatewayListeners, listener)),
    },
    approvals: {
      list: vi.fn(async (): Promise<Envelope> => ok(structuredClone(held))),
      // As core: the answered call is no longer held, and an unknown id is refused.
      decide: vi.fn(async (input: unknown): Promise<Envelope> => {
        const { id } = input as { id: string };
        const at = held.findIndex((h) => h.id === id);
        if (at === -1)
          return {
            ok: false,
            error: { code: 'APPROVAL_NOT_FOUND', message: `no call waits for approval with id ${id}` },
          };
        const [call] = held.splice(at, 1);
        return ok(call);
      }),
      onChanged: vi.fn((listener: (payload: unknown) => void) => subscribe(approvalListeners, listener)),
    },
  } satisfies RawDockApi;
  return {
    raw,
    push(next: EngineStatus) {
      status = next;
      listeners.forEach((l) => l(next));
    },
    set(next: EngineStatus) {
      status = next;
    },
    listenerCount: () => listeners.size,
    pushConsents(list: unknown[]) {
      consents.splice(0, consents.length, ...list);
      consentListeners.forEach((l) => l(list));
    },
    pushServers(views: ServerView[]) {
      servers.splice(0, servers.length, ...views);
      serverListeners.forEach((l) => l(views));
    },
    // What audit.query answers (newest first) until a test overrides the mock.
    setAuditEvents(events: AuditEvent[]) {
      auditEvents.length = 0;
      for (const event of events) auditEvents.push(event);
    },
    // One live batch, oldest first, as core sends them.
    pushAuditEvents(batch: AuditEvent[]) {
      auditListeners.forEach((l) => l(batch));
    },
    auditListenerCount: () => auditListeners.size,
    // What gateway.status answers (and setToolEnabled changes) until a test overrides the mock.
    setGatewayStatus(next: GatewayStatus) {
      gatewayStatus = structuredClone(next);
    },
    gatewayStatus: () => structuredClone(gatewayStatus),
    // Calls held for a person, as core pushes them.
    pushApprovals(list: PendingApproval[]) {
      held.splice(0, held.length, ...structuredClone(list));
      approvalListeners.forEach((l) => l(structuredClone(list)));
    },
    // What gateway.pins answers (approveTools and keepWithheld change them).
    setPins(next: ToolPin[]) {
      pins = structuredClone(next);
    },
    // Core's "re-read status" push.
    fireGatewayChanged(at = new Date().toISOString()) {
      gatewayListeners.forEach((l) => l({ at }));
    },
    gatewayListenerCount: () => gatewayListeners.size,
    // The remote servers core lists, pushed as core does when they change.
    pushRemotes(list: RemoteView[]) {
      remotes.splice(0, remotes.length, ...structuredClone(list));
      remoteListeners.forEach((l) => l(structuredClone(list)));
    },
  };
}
