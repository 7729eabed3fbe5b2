import { randomBytes } from 'node:crypto';
import type { DockImpl } from '../../shared/contract';
import { createClientConfigsApi } from './clients/client-configs-api';
import { createSnippetsApi } from './clients/snippets-api';
import type { Core, CoreOptions } from './core-options';
import { openEngine } from './docker/open-engine';
import { openGateway } from './gateway/open-gateway';
import { stdioCredential } from './gateway/stdio-credential';
import { PanelSessions } from './headless/panel-sessions';
import { openHeadless } from './headless/open-headless';
import { assertRendererBuilt } from './headless/renderer-files';
import { createSessionToken } from './headless/session-token';
import { clearAppOrigin, writeAppOrigin } from './http/app-origin-file';
import { healthzRoute } from './http/healthz';
import { startHttpServer } from './http/http-server';
import { loopbackOnlyRoute } from './http/loopback-only';
import { Router } from './http/router';
import { defaultCliLaunch } from './lib/cli-launch';
import { CloseStack } from './lib/close-stack';
import { openDockTools } from './mcp/open-dock-tools';
import { openOAuth } from './oauth/open-oauth';
import { fileKeyProvider } from './secrets/key-provider';
import { openSecretStore } from './secrets/secret-store';
import { openSecurity } from './security/open-security';
import { createAuditApi } from './security/audit-api';
import { createSecurityApi } from './security/security-api';
import { openServers } from './servers/open-servers';
import { ServerNames } from './servers/server-names';
import { openRemotes } from './remotes/open-remotes';
import { openRegistry } from './registry/open-registry';
import { openProfiles } from './profiles/open-profiles';
import { profilePath } from '../../shared/profiles';
import { containerSource, joinSources } from './gateway/upstream-source';
import { prepareDataDir } from './store/data-dir';
import { followFile } from './store/follow-file';
import { DEFAULT_HTTP_HOST, loadSettings } from './store/settings';
import { auditEgress } from './security/audit-egress';
import { watchFiles } from './store/watch-files';
import { APP_VERSION } from './version';
import { join } from 'node:path';

export type { Core, CoreOptions } from './core-options';

// The composition root: every capability opens itself, here, in the order they depend on each
// other, and the shell that hosts core (Electron, the CLI, tests) gets what they offer.
export async function createCore(options: CoreOptions): Promise<Core> {
  const env = options.env ?? process.env;
  const dataDir = await prepareDataDir(options.dataDir);
  const settings = await loadSettings(dataDir);
  if (options.ui) await assertRendererBuilt(options.ui.rendererDir);
  const opened = new CloseStack();
  const router = new Router();
  const serveHttp = options.http === false ? undefined : (options.http ?? {});
  const host = serveHttp?.host ?? DEFAULT_HTTP_HOST;
  // The port first: OAuth's issuer is the origin clients reach, known once it listens (port 0 in
  // tests). Until the routes below are in, it answers 503.
  const http = serveHttp
    ? await startHttpServer({
        host,
        port: serveHttp.port ?? settings.http.port,
        portSetting: serveHttp.portSetting ?? `http.port in ${join(dataDir, 'settings.json')}`,
        onRequest: (req, res) => router.handle(req, res),
        onUpgrade: (req, socket, head) => router.upgrade(req, socket, head),
      })
    : undefined;
  // Where clients reach this app: the running server, or (CLI, stdio tools) the configured port.
  const issuer = http?.origin ?? `http://${host}:${settings.http.port}`;
  const serving = http !== undefined;
  try {
    const secrets = await openSecretStore(dataDir, options.keyProvider ?? fileKeyProvider(dataDir));
    const security = opened.push(
      await openSecurity(dataDir, secrets, {
        writeAudit: serving ? 'now' : 'lazily',
        auditIo: options.auditIo,
      }),
    );
    const engine = opened.push(openEngine({ env, dockerHost: options.dockerHost, ...options.engine }));

    // Container servers and remote servers share one name space (tool prefixes, scopes).
    const names = new ServerNames();
    const servers = opened.push(
      await openServers({
        dataDir,
        names,
        engine,
        secrets,
        probeTimeoutMs: options.probeTimeoutMs,
        egressProxyImage: settings.egress.proxyImage,
      }),
    );
    const { registry, containers } = servers;
    // What allow-listed servers' proxies refused goes to the audit log (no payload: where to).
    opened.defer(containers.onEgress((event) => void auditEgress(security, event)));
    const refreshContainers = () => containers.refresh();
    // The CLI's proof that it may steer this run (held calls, sign-ins): it can read this run's
    // app-origin.json.
    const controlToken = serving ? randomBytes(32).toString('base64url') : undefined;
    const remotes = opened.push(await openRemotes({ dataDir, secrets, issuer, names, controlToken }));

    // The servers there are, containers and remotes: scopes and profiles name them.
    const serverNames = () => [
      ...registry.list().map((r) => r.spec.name),
      ...remotes.registry.list().map((r) => r.name),
    ];
    const onServersChanged = (listener: () => void) => {
      const stops = [containers.onChanged(listener), remotes.api.onChanged(listener)];
      return () => stops.forEach((stop) => stop());
    };
    const profiles = opened.push(await openProfiles({ dataDir, issuer, serverNames, onServersChanged }));

    const panelSessions = options.ui
      ? new PanelSessions(options.ui.token ?? createSessionToken())
      : undefined;
    const oauth = opened.push(
      await openOAuth({
        dataDir,
        secrets,
        settings,
        issuer,
        serving,
        serverNames,
        onServersChanged,
        // Each profile's endpoint is a resource of its own: tokens name exactly one.
        moreResources: () =>
          profiles.store
            .list()
            .map((p) => ({ path: profilePath(p.name), name: `MCP Dock profile ${p.name}` })),
        panelSessions,
        clientMetadata: options.clientMetadata,
      }),
    );
    const dockTools = openDockTools({
      oauthApi: oauth.api,
      issuer,
      serving,
      accessTokenTtlSeconds: settings.oauth.accessTokenTtlSeconds,
      security,
    });
    const gateway = opened.push(
      await openGateway({
        dataDir,
        issuer,
        serving,
        upstreams: joinSources(containerSource(containers), remotes.source),
        security,
        oauth,
        ownTools: dockTools,
        local: dockTools.local,
        controlToken,
        cliLaunch: options.cliLaunch ?? defaultCliLaunch(__dirname),
        clientHome: options.clientHome,
        profiles: profiles.store,
      }),
    );

    if (gateway.pool) remotes.observe(gateway.pool);
    const registryCatalog = opened.push(
      openRegistry({
        dataDir,
        settings: () => settings.registry,
        servers: servers.api,
        remotes: remotes.api,
        background: serving,
      }),
    );

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
      servers: servers.api,
      remotes: remotes.api,
      profiles: profiles.api,
      catalog: registryCatalog.api,
      snippets: createSnippetsApi(containers, engine, options.clientHome),
      clientConfigs: createClientConfigsApi(containers, engine, options.clientHome, (profile) =>
        gateway.clientEntry(profile),
      ),
      oauth: oauth.api,
      security: createSecurityApi(security, dataDir),
      audit: createAuditApi(security),
      gateway: gateway.api,
      approvals: gateway.approvals,
    };
    const headless =
      options.ui && panelSessions && http
        ? opened.push(
            openHeadless({
              api,
              rendererDir: options.ui.rendererDir,
              sessions: panelSessions,
              port: http.port,
            }),
          )
        : undefined;

    // What another process (the CLI) changes in the data directory, the app follows.
    const stopWatching = watchFiles(
      dataDir,
      {
        ...servers.followers,
        'secrets.json': followFile(secrets, async () => {
          await refreshContainers();
          await remotes.secretsChanged();
        }),
        ...remotes.followers,
        'security.json': followFile(security.settings),
        ...oauth.followers,
        ...gateway.followers,
        ...profiles.followers,
      },
      { ...(options.onDataDirReload ? { onReload: options.onDataDirReload } : {}) },
    );
    opened.defer(stopWatching);

    if (http) {
      router.add(loopbackOnlyRoute(() => http.port));
      router.add(healthzRoute(() => engine.status(), APP_VERSION));
      for (const route of [
        ...oauth.routes,
        ...remotes.routes,
        ...gateway.routes,
        ...(headless?.routes ?? []),
      ])
        router.add(route);
      for (const upgrade of headless?.upgrades ?? []) router.addUpgrade(upgrade);
      router.open();
      await writeAppOrigin(dataDir, http.origin, controlToken);
    }

    let closing: Promise<void> | undefined;
    return {
      api,
      dataDir,
      httpOrigin: http?.origin ?? '',
      port: http?.port ?? 0,
      uiUrl: panelSessions && http ? `${http.origin}/?token=${panelSessions.launchToken}` : undefined,
      engine,
      containers,
      remotes,
      oauthClients: oauth.clients,
      consents: oauth.consents,
      security,
      stdioCredential: () => stdioCredential(secrets, oauth.clients),
      issuer: () => issuer,
      close() {
        closing ??= (async () => {
          // Nothing new comes in while the capabilities close.
          await http?.close();
          if (http) await clearAppOrigin(dataDir, http.origin);
          await opened.closeAll();
        })();
        return closing;
      },
    };
  } catch (error) {
    await http?.close();
    await opened.closeAll();
    throw error;
  }
}
