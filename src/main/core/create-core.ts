import { homedir, userInfo } from 'node:os';
import type { JSONWebKeySet } from 'jose';
import { join } from 'node:path';
import type { DockImpl } from '../../shared/contract';
import { contract } from '../../shared/contract';
import { serveContract } from '../../shared/contract-server';
import { createEngineMonitor, type EngineMonitor } from './docker/engine-monitor';
import { listEngineEndpoints } from './docker/engine-endpoints';
import type { EngineConnection } from './docker/engine-connection';
import { healthzRoute } from './http/healthz';
import { startHttpServer, type RunningHttpServer } from './http/http-server';
import { loopbackOnlyRoute } from './http/loopback-only';
import { Router } from './http/router';
import { assertRendererBuilt } from './headless/renderer-files';
import { createSessionToken } from './headless/session-token';
import { PanelSessions } from './headless/panel-sessions';
import { panelSessionRoute } from './headless/session-route';
import { createConsentQueue, type ConsentQueue } from './oauth/consents';
import { interactionRoute } from './oauth/interaction-routes';
import { uiRoute } from './headless/ui-route';
import { createWsBridge, type WsBridge } from './headless/ws-bridge';
import { createClientsApi, createSnippetsApi } from './clients/snippets-api';
import { createContainerManager, type ContainerManager } from './docker/container-manager';
import { openPlacements } from './docker/placements';
import { openInstanceId } from './docker/instance-id';
import { fileKeyProvider, type KeyProvider } from './secrets/key-provider';
import { openSecretStore } from './secrets/secret-store';
import { builtInCatalog } from './servers/catalog';
import { openServerRegistry } from './servers/server-registry';
import { createServersApi } from './servers/servers-api';
import {
  createAuthorizationServer,
  DEFAULT_SCOPE,
  knownScopes,
  SUPPORTED_SCOPES,
} from './oauth/authorization-server';
import { createClientAdmin, type ClientAdmin } from './oauth/client-admin';
import { AttemptThrottle } from './oauth/attempt-throttle';
import { oauthLimits } from './oauth/oauth-limits';
import type { BearerPolicy } from './oauth/bearer';
import { ISSUED_TOKENS_FILE, openOAuthStore } from './oauth/file-adapter';
import {
  createMetadataResolver,
  looksLikeMetadataUrl,
  type MetadataFetchOptions,
} from './oauth/client-metadata-document';
import { isRevokedJti } from './oauth/jwt-token-endpoints';
import { createTokenTools } from './oauth/token-tools';
import { DockError } from '../../shared/errors';
import { helloRoute, PROTECTED_RESOURCE_PATH, protectedResourceRoute } from './oauth/resource-routes';
import {
  activeKeys,
  describeRing,
  loadKeyRing,
  publicJwk,
  rotateKeyRing,
  type KeyRing,
} from './oauth/signing-key';
import { createDockToolsServer, type DockToolsDeps } from './mcp/dock-tools-server';
import { createMcpRoute, MCP_PATH } from './mcp/mcp-http-route';
import { createCallStats } from './gateway/call-stats';
import { ALL_SERVERS_SCOPE, GatewaySession, ownToolLister, type GatewayDeps } from './gateway/gateway-server';
import { openGatewaySettings, sessionLimits } from './gateway/gateway-settings';
import { createUpstreamPool } from './gateway/upstream-pool';
import type { AuditIo } from './security/audit';
import { openSecurity, type Security } from './security/open-security';
import { createAuditApi, createSecurityApi } from './security/security-api';
import type { Caller } from './security/secure-tool';
import { prepareDataDir } from './store/data-dir';
import { createGatewayApi } from './gateway/gateway-api';
import { stdioCredential, type StdioCredential } from './gateway/stdio-credential';
import { DOCK_TOOL_NAMES } from './mcp/dock-tools-server';
import type { StdioLaunch } from '../../shared/snippets';
import { existsSync } from 'node:fs';
import { watchFiles, type FileReload } from './store/watch-files';
import { DEFAULT_HTTP_HOST, loadSettings } from './store/settings';
import { APP_VERSION } from './version';
import { clearAppOrigin, writeAppOrigin } from './http/app-origin-file';

// This install's CLI: cli.js beside the bundle that runs core (out/main), run by this Node, or by
// Electron's binary acting as Node; the `mcp-dock` on PATH when running from sources.
function defaultCliLaunch(): StdioLaunch {
  // Core sits in out/main or in a chunk below it, depending on how the bundler split it.
  const script = [join(__dirname, 'cli.js'), join(__dirname, '..', 'cli.js')].find((f) => existsSync(f));
  if (!script) return { command: 'mcp-dock', args: [] };
  return process.versions.electron
    ? { command: process.execPath, args: [script], env: { ELECTRON_RUN_AS_NODE: '1' } }
    : { command: process.execPath, args: [script] };
}

// os.userInfo throws where the user has no passwd entry (some containers).
function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'local';
  }
}

// Optional fields travel as absent, not as undefined, so the contract's schemas accept them.
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export interface CoreOptions {
  dataDir: string;
  mode: 'desktop' | 'headless';
  // Overrides DOCKER_HOST and the well-known sockets.
  dockerHost?: string | undefined;
  // false: no HTTP server at all (CLI commands, which must not fight the running app for its port).
  http?:
    | false
    | {
        host?: string;
        // Beats settings.json; 0 picks a free port (tests).
        port?: number | undefined;
        // How the user changes the port, for the "port in use" error.
        portSetting?: string;
      };
  // Headless mode: serve the built renderer and the WebSocket bridge behind a per-run token.
  ui?: { rendererDir: string; token?: string };
  env?: NodeJS.ProcessEnv;
  engine?: {
    connect?: (endpoint: { url: string; source: string }) => EngineConnection;
    retryDelaysMs?: readonly number[];
    heartbeatMs?: number;
  };
  // Encrypts secrets at rest: the desktop app passes the OS keychain (safeStorage); headless uses
  // a 0600 key file in the data directory.
  keyProvider?: KeyProvider;
  probeTimeoutMs?: number;
  // Where client config files live (the user's home); tests point it at a temp folder.
  clientHome?: string;
  // How client metadata documents are fetched; tests point it at a local https server.
  clientMetadata?: MetadataFetchOptions;
  // How a client launches this install's CLI (the gateway's stdio snippet); found when absent.
  cliLaunch?: StdioLaunch;
  // Hears what became of each change another process made to the data directory's files (a
  // half-edited file is refused and the last good state kept): `serve` tells the user.
  onDataDirReload?: (reload: FileReload) => void;
  // The audit log's synchronous writes; tests make them fail as a full disk would.
  auditIo?: AuditIo;
}

export interface Core {
  readonly api: DockImpl;
  readonly dataDir: string;
  // Core's HTTP server, e.g. http://127.0.0.1:8081; empty when started without one.
  readonly httpOrigin: string;
  readonly port: number;
  // Headless mode only: the URL to open, token included.
  readonly uiUrl: string | undefined;
  readonly engine: EngineMonitor;
  readonly containers: ContainerManager;
  readonly oauthClients: ClientAdmin;
  readonly consents: ConsentQueue;
  readonly security: Security;
  // The nine security and OAuth tools as an MCP server, for `mcp-dock tools --stdio`.
  createToolsServer(): ReturnType<typeof createDockToolsServer>;
  // The credential `mcp-dock gateway --stdio` signs in with (made on first use).
  stdioCredential(): Promise<StdioCredential>;
  // Where clients reach this app's HTTP server (the running one, or the configured port).
  issuer(): string;
  close(): Promise<void>;
}

// The composition root: everything that does work is built here, in plain Node, and handed to
// whichever shell hosts it (Electron, the CLI, tests).
export async function createCore(options: CoreOptions): Promise<Core> {
  const env = options.env ?? process.env;
  const dataDir = await prepareDataDir(options.dataDir);
  const settings = await loadSettings(dataDir);
  if (options.ui) await assertRendererBuilt(options.ui.rendererDir);
  const registry = await openServerRegistry(dataDir, builtInCatalog());
  const secrets = await openSecretStore(dataDir, options.keyProvider ?? fileKeyProvider(dataDir));
  const placements = await openPlacements(dataDir);
  const instance = await openInstanceId(dataDir);
  const metadataResolver = createMetadataResolver(options.clientMetadata);
  const oauthStore = await openOAuthStore(dataDir, {
    resolveClient: (id) =>
      looksLikeMetadataUrl(id) ? metadataResolver.resolve(id) : Promise.resolve(undefined),
  });
  const oauthClients = createClientAdmin(oauthStore);
  const gatewaySettings = await openGatewaySettings(dataDir);
  const security = await openSecurity(dataDir, secrets, {
    writeAudit: options.http === false ? 'lazily' : 'now',
    auditIo: options.auditIo,
  });

  const engine = createEngineMonitor({
    endpoints: () =>
      listEngineEndpoints({
        env,
        platform: process.platform,
        home: env.HOME ?? homedir(),
        override: options.dockerHost,
      }),
    ...(options.engine?.connect ? { connect: options.engine.connect } : {}),
    ...(options.engine?.retryDelaysMs ? { retryDelaysMs: options.engine.retryDelaysMs } : {}),
    ...(options.engine?.heartbeatMs ? { heartbeatMs: options.engine.heartbeatMs } : {}),
  });

  const containers = createContainerManager({
    engine,
    registry,
    secrets,
    placements,
    instance,
    sessionLogDir: join(dataDir, 'logs'),
    ...(options.probeTimeoutMs ? { probeTimeoutMs: options.probeTimeoutMs } : {}),
  });

  // Only changes made by another process (the CLI) are reloaded; our own writes are already in memory.
  const followOthers =
    (store: { holdsOwnWrite(): Promise<boolean>; reload(): Promise<void> }, refresh = true) =>
    async () => {
      if (await store.holdsOwnWrite()) return;
      await store.reload();
      if (refresh) await containers.refresh();
    };
  const stopWatching = watchFiles(
    dataDir,
    {
      'servers.json': followOthers(registry),
      'secrets.json': followOthers(secrets),
      'placements.json': followOthers(placements),
      'oauth.json': followOthers(oauthStore, false),
      [ISSUED_TOKENS_FILE]: followOthers(oauthStore.issuedTokens, false),
      'security.json': followOthers(security.settings, false),
      'gateway.json': followOthers(gatewaySettings, false),
    },
    { ...(options.onDataDirReload ? { onReload: options.onDataDirReload } : {}) },
  );

  let http: RunningHttpServer | undefined;
  let bridge: WsBridge | undefined;
  const httpOptions = options.http === false ? undefined : (options.http ?? {});
  const host = httpOptions?.host ?? DEFAULT_HTTP_HOST;

  const gateway: { api?: DockImpl['gateway'] } = {};
  const api: DockImpl = {
    app: {
      getInfo: async () => ({
        name: 'MCP Dock',
        version: APP_VERSION,
        mode: options.mode,
        dataDir,
        httpUrl: http?.origin ?? `http://${host}`,
      }),
    },
    engine: {
      getStatus: async () => engine.status(),
      recheck: () => engine.recheck(),
      onStatus: (listener) => engine.onStatus(listener),
    },
    servers: createServersApi(registry, secrets, containers),
    snippets: createSnippetsApi(containers, engine, options.clientHome),
    clientConfigs: createClientsApi(containers, engine, options.clientHome),
    oauth: {
      consents: async () => consents.list().map(withoutUndefined),
      decideConsent: async ({ uid, decision }) => consents.decide(uid, decision),
      onConsents: (listener) => consents.onChange((list) => listener(list.map(withoutUndefined))),
      clients: async () => oauthClients.list(),
      createClient: ({ name, scope }) =>
        oauthClients.create({ name, grant: 'client_credentials', scope: scope || DEFAULT_SCOPE }),
      revokeClient: async ({ clientId }) => {
        await oauthClients.revoke(clientId);
        return null;
      },
      tokens: async () => oauthClients.tokens(),
      revokeToken: async ({ jti }) => {
        await oauthClients.revokeToken(jti);
        return null;
      },
      grants: async () => oauthClients.grants(),
      revokeGrant: async ({ grantId }) => {
        await oauthClients.revokeGrant(grantId);
        return null;
      },
      resources: async () => (http ? [`${origin()}/mcp`, origin()] : []),
      createTestToken: (input) => requireTokenTools().createTestToken(input),
      inspectToken: ({ token }) => requireTokenTools().inspect(token),
      onChanged: (listener) => oauthStore.onChange(() => listener({ at: new Date().toISOString() })),
      signingKeys: async () => describeRing(await loadKeyRing(secrets)),
      rotateSigningKey: async () => {
        // Old keys stay published for one token lifetime (plus a minute), so nothing in flight breaks.
        const ring = await rotateKeyRing(secrets, tokenTtl + 60);
        mountOAuth(ring);
        return describeRing(ring);
      },
    },
    security: createSecurityApi(security, dataDir),
    audit: createAuditApi(security),
    // Built once /mcp exists, below, before anyone can call.
    gateway: {
      status: () => gateway.api!.status(),
      setToolEnabled: (input) => gateway.api!.setToolEnabled(input),
      snippet: (input) => gateway.api!.snippet(input),
      onChanged: (listener) => gateway.api!.onChanged(listener),
    },
  };

  const router = new Router();
  const token = options.ui ? (options.ui.token ?? createSessionToken()) : undefined;
  const panelSessions = token ? new PanelSessions(token) : undefined;
  // Keys the consent forms' CSRF tokens; per run, like the session.
  const csrfKey = createSessionToken();
  const consents = createConsentQueue();
  router.add(loopbackOnlyRoute(() => http?.port ?? 0));
  router.add(healthzRoute(() => engine.status(), APP_VERSION));
  // The OAuth server needs its issuer, which is known once the server listens (port 0 in tests).
  let oauth: ReturnType<typeof createAuthorizationServer> | undefined;
  const tokenTtl = settings.oauth.accessTokenTtlSeconds;
  let mountOAuth: (ring: KeyRing) => void = () => undefined;
  let tokenTools: ReturnType<typeof createTokenTools> | undefined;
  const requireTokenTools = () => {
    if (!tokenTools)
      throw new DockError(
        'INTERNAL',
        'the authorization server runs only with the HTTP server (the app or `mcp-dock serve`)',
      );
    return tokenTools;
  };
  const origin = () => http?.origin ?? '';
  // Where clients reach this app: the running server, or (CLI, stdio tools) the configured port.
  const issuer = () => http?.origin ?? `http://${host}:${settings.http.port}`;
  router.add(
    interactionRoute({
      provider: () => oauth?.provider,
      consents,
      ...(panelSessions ? { isPanelSession: (secret: string) => panelSessions.use(secret) } : {}),
      csrfKey: () => csrfKey,
      defaultResource: () => `${origin()}/mcp`,
    }),
  );
  router.add((req, res, url) => (oauth ? oauth.route(req, res, url) : false));
  router.add(protectedResourceRoute(origin, SUPPORTED_SCOPES));
  let signingJwks: JSONWebKeySet | undefined;
  // A resource's bearer policy changes only with the signing keys or the origin: built once per
  // change, not on every request.
  const bearerPolicy = (build: (jwks: JSONWebKeySet, origin: string) => BearerPolicy) => {
    let last: { jwks: JSONWebKeySet; origin: string; policy: BearerPolicy } | undefined;
    return () => {
      if (!signingJwks) return undefined;
      if (last?.jwks !== signingJwks || last.origin !== origin())
        last = { jwks: signingJwks, origin: origin(), policy: build(signingJwks, origin()) };
      return last.policy;
    };
  };
  const isRevoked = (jti: string) => isRevokedJti(oauthStore, jti);
  router.add(
    helloRoute(
      bearerPolicy((jwks, at) => ({
        issuer: at,
        jwks,
        audience: [at, `${at}/mcp`],
        requiredScopes: [DEFAULT_SCOPE],
        resourceMetadata: `${at}${PROTECTED_RESOURCE_PATH}`,
        isRevoked,
      })),
      (id) => oauthClients.exists(id),
    ),
  );
  const localCaller: Caller = {
    clientId: 'local',
    userId: safeUserName(),
    scopes: [...SUPPORTED_SCOPES],
  };
  const toolsDeps: DockToolsDeps = {
    oauth: {
      api: api.oauth,
      issuer,
      serving: httpOptions !== undefined,
      accessTokenTtlSeconds: tokenTtl,
    },
    security: security.services,
    securityBackend: {
      fernet: security.fernet,
      queryAudit: (query) => security.audit.query(query),
      verifyAudit: () => security.audit.verify(),
    },
    local: localCaller,
  };
  // The gateway's upstream clients exist only where the gateway is served (the app, `serve`):
  // a CLI command must never open sessions into containers.
  const pool = httpOptions ? createUpstreamPool({ containers }) : undefined;
  const callStats = createCallStats();
  const ownToolList = ownToolLister(() => createDockToolsServer(toolsDeps));
  const gatewayDeps = (): GatewayDeps => ({
    pool: pool!,
    settings: () => gatewaySettings.get(),
    security: security.services,
    createOwnTools: () => createDockToolsServer(toolsDeps),
    ownToolList,
    local: localCaller,
    stats: callStats,
  });
  const mcpRoute = createMcpRoute({
    policy: bearerPolicy((jwks, at) => ({
      issuer: at,
      jwks,
      audience: `${at}${MCP_PATH}`,
      requiredScopes: [DEFAULT_SCOPE],
      challengeScopes: [DEFAULT_SCOPE, ALL_SERVERS_SCOPE],
      resourceMetadata: `${at}${PROTECTED_RESOURCE_PATH}${MCP_PATH}`,
      isRevoked,
    })),
    isClientActive: (id) => oauthClients.exists(id),
    createServer: (auth) => new GatewaySession(gatewayDeps(), auth),
    maxBodyBytes: () => gatewaySettings.get().maxBodyBytes,
    limits: () => sessionLimits(gatewaySettings.get()),
  });
  router.add(mcpRoute.route);
  const cliLaunch = options.cliLaunch ?? defaultCliLaunch();
  gateway.api = createGatewayApi({
    pool,
    settings: gatewaySettings,
    security,
    route: mcpRoute,
    stats: callStats,
    oauthClients,
    url: () => `${issuer()}${MCP_PATH}`,
    ownToolNames: DOCK_TOOL_NAMES,
    stdioLaunch: () => ({
      ...cliLaunch,
      args: [
        ...cliLaunch.args,
        'gateway',
        '--stdio',
        '--url',
        `${issuer()}${MCP_PATH}`,
        '--data-dir',
        dataDir,
      ],
    }),
    clientHome: options.clientHome,
  });
  if (options.ui && panelSessions) {
    const port = () => http?.port ?? 0;
    bridge = createWsBridge(serveContract(contract, api), panelSessions, port);
    router.addUpgrade(bridge.route);
    router.add(panelSessionRoute(panelSessions, port));
    router.add(uiRoute({ rendererDir: options.ui.rendererDir, sessions: panelSessions, port }));
  }

  try {
    if (httpOptions) {
      http = await startHttpServer({
        host,
        port: httpOptions.port ?? settings.http.port,
        portSetting: httpOptions.portSetting ?? `http.port in ${join(dataDir, 'settings.json')}`,
        onRequest: (req, res) => router.handle(req, res),
        onUpgrade: (req, socket, head) => router.upgrade(req, socket, head),
      });
    }
  } catch (error) {
    bridge?.close();
    stopWatching();
    containers.close();
    engine.close();
    await security.close();
    throw error;
  }
  const running = http;
  if (running) await writeAppOrigin(dataDir, running.origin);
  // (Re)builds the OAuth server on the current key ring: at start, and after a rotation.
  let currentRing: KeyRing | undefined;
  const scopesNow = () =>
    knownScopes(
      registry.list().map((r) => r.spec.name),
      oauthClients.list().flatMap((c) => c.scope.split(' ')),
    );
  let mountedScopes = '';
  // Outlives rebuilds of the OAuth server: a key rotation must not forget who was guessing.
  const oauthThrottle = new AttemptThrottle();
  mountOAuth = (ring: KeyRing) => {
    currentRing = ring;
    const keys = activeKeys(ring);
    signingJwks = { keys: keys.map((k) => publicJwk(k) as JSONWebKeySet['keys'][number]) };
    const resources = () => [`${issuer()}/mcp`, issuer()];
    tokenTools = createTokenTools({ issuer: issuer(), signingKeys: keys, store: oauthStore, resources });
    if (!running) return;
    const scopes = scopesNow();
    mountedScopes = scopes.join(' ');
    oauth = createAuthorizationServer({
      issuer: running.origin,
      signingKeys: keys,
      store: oauthStore,
      resources,
      accessTokenTtlS: tokenTtl,
      scopes,
      throttle: oauthThrottle,
      limits: () => oauthLimits(settings.oauth),
    });
  };
  // A new server, or a client given a new server's scope: the provider learns the scope.
  const remountIfScopesChanged = () => {
    if (running && currentRing && scopesNow().join(' ') !== mountedScopes) mountOAuth(currentRing);
  };
  const stopScopeWatch = [
    oauthStore.onChange(remountIfScopesChanged),
    containers.onChanged(remountIfScopesChanged),
  ];
  mountOAuth(await loadKeyRing(secrets));

  let closing: Promise<void> | undefined;
  return {
    api,
    dataDir,
    httpOrigin: origin(),
    port: running?.port ?? 0,
    uiUrl: token && running ? `${origin()}/?token=${token}` : undefined,
    engine,
    containers,
    oauthClients,
    consents,
    security,
    createToolsServer: () => createDockToolsServer(toolsDeps),
    stdioCredential: () => stdioCredential(secrets, oauthClients),
    issuer,
    close() {
      closing ??= (async () => {
        bridge?.close();
        consents.close();
        stopWatching();
        containers.close();
        engine.close();
        stopScopeWatch.forEach((stop) => stop());
        await mcpRoute.close();
        await pool?.close();
        await running?.close();
        if (running) await clearAppOrigin(dataDir, running.origin);
        await oauthStore.flush();
        await security.close();
      })();
      return closing;
    },
  };
}
