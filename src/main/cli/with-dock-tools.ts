import { openDockTools, type DockTools } from '../core/mcp/open-dock-tools';
import { openOAuth } from '../core/oauth/open-oauth';
import { openSecurity } from '../core/security/open-security';
import { followFile } from '../core/store/follow-file';
import { DEFAULT_HTTP_HOST } from '../core/store/settings';
import { watchFiles } from '../core/store/watch-files';
import type { CliIo } from './io';
import { openDataDir, openSecrets, withOpened, type DataDirFlags } from './open-capabilities';

// `tools --stdio`: the nine tools over security (PII policy, Fernet, audit) and OAuth, as
// createCore opens them without an HTTP server. No engine and no servers: no tool uses them.
export function withDockTools<T>(
  io: CliIo,
  flags: DataDirFlags,
  work: (opened: { tools: DockTools }) => Promise<T>,
): Promise<T> {
  return withOpened(async (opened) => {
    const { dataDir, settings, secrets } = await openSecrets(await openDataDir(io, flags));
    // Where clients would reach the app: its configured port (the CLI serves nothing itself).
    const issuer = `http://${DEFAULT_HTTP_HOST}:${settings.http.port}`;
    // The log's writer lock is taken at the first audited call, so the app may run beside this.
    const security = opened.push(await openSecurity(dataDir, secrets, { writeAudit: 'lazily' }));
    const oauth = opened.push(
      await openOAuth({
        dataDir,
        secrets,
        settings,
        issuer,
        serving: false,
        // Server scopes are for the authorization server, which only a serving core builds.
        serverNames: () => [],
        onServersChanged: () => () => undefined,
      }),
    );
    const tools = openDockTools({
      oauthApi: oauth.api,
      issuer,
      serving: false,
      accessTokenTtlSeconds: settings.oauth.accessTokenTtlSeconds,
      security,
    });
    // A session lasts as long as its client: it follows the policy, keys and clients the app or
    // another command changes meanwhile, as the app does.
    opened.defer(
      watchFiles(dataDir, {
        'secrets.json': followFile(secrets),
        'security.json': followFile(security.settings),
        ...oauth.followers,
      }),
    );
    return { tools };
  }, work);
}
