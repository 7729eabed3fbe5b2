import { createHash } from 'node:crypto';
import type { DockImpl } from '../../../shared/contract';
import type { Unsubscribe } from '../../../shared/contract-kit';
import { remoteSpecSchema, type RemoteSpec, type RemoteView } from '../../../shared/remotes';
import type { Route } from '../http/router';
import type { SecretStore } from '../secrets/secret-store';
import { checkSecretNames } from '../servers/check-secret-names';
import { moveSecrets, setSecrets, setSecretsOrUndo } from '../servers/server-secrets';
import type { ServerNames } from '../servers/server-names';
import { followFile, type FileFollowers } from '../store/follow-file';
import { remoteCallbackRoute } from './remote-callback-route';
import { remoteControlRoute } from './remote-control-route';
import { isOAuthSlot, REMOTE_CALLBACK_PATH, RemoteOAuth } from './remote-oauth';
import { REMOTES_FILE, RemoteRegistry } from './remote-registry';
import { RemoteSource } from './remote-source';

// What the remotes' cards show of the gateway's sessions with them (the pool, structurally).
export interface UpstreamStates {
  list(): {
    server: string;
    state: 'connecting' | 'ready' | 'down';
    reason?: string | undefined;
    tools: { name: string; description?: string | undefined }[];
  }[];
  onChanged(listener: () => void): Unsubscribe;
}

export interface RemotesDeps {
  dataDir: string;
  secrets: SecretStore;
  // This app's origin: the OAuth redirect comes back to it.
  issuer: string;
  // This run's control token (the app): `mcp-dock servers signin` asks the app through it.
  controlToken?: string | undefined;
  // The one name space the container servers share with remote ones.
  names: ServerNames;
}

export interface Remotes {
  api: DockImpl['remotes'];
  registry: RemoteRegistry;
  source: RemoteSource;
  oauth: RemoteOAuth;
  routes: Route[];
  followers: FileFollowers;
  // The gateway's sessions, once it is open: the cards follow their state.
  observe(pool: UpstreamStates): void;
  // secrets.json changed elsewhere (the CLI set a header secret).
  secretsChanged(): Promise<void>;
  close(): void;
}

// The secret names a remote's spec declares: its header's, a pre-registered client's.
function declaredSecrets(spec: RemoteSpec): string[] {
  if (spec.auth.type === 'header') return [spec.auth.secret];
  if (spec.auth.type === 'oauth' && spec.auth.clientSecret) return [spec.auth.clientSecret];
  return [];
}

// The remote servers capability: remote MCP servers the user added (remotes.json), their secrets
// and OAuth tokens (the secret store), the gateway's source of transports to them, the OAuth
// callback route, and the contract's remotes domain.
export async function openRemotes(deps: RemotesDeps): Promise<Remotes> {
  const { secrets } = deps;
  const registry = await RemoteRegistry.open(deps.dataDir, deps.names);
  const listeners = new Set<(views: RemoteView[]) => void>();
  const sourceListeners = new Set<() => void>();
  const epochs = new Map<string, number>();
  let pool: UpstreamStates | undefined;
  let stopObserving: Unsubscribe | undefined;

  // A digest of each remote's declared secret values, to tell which changed under us.
  const prints = new Map<string, string>();
  const fingerprint = async (spec: RemoteSpec) => {
    const values = await secrets.values(spec.name, declaredSecrets(spec)).catch(() => ({}));
    return createHash('sha256').update(JSON.stringify(values)).digest('hex');
  };
  for (const spec of registry.list()) prints.set(spec.name, await fingerprint(spec));
  const bump = (name: string) => {
    epochs.set(name, (epochs.get(name) ?? 0) + 1);
    const spec = registry.list().find((r) => r.name === name);
    if (spec) void fingerprint(spec).then((print) => prints.set(name, print));
  };
  const changed = () => {
    for (const l of sourceListeners) l();
    const views = registry.list().map(view);
    for (const l of listeners) l(views);
  };
  const oauth = new RemoteOAuth({
    secrets,
    redirectUrl: () => `${deps.issuer}${REMOTE_CALLBACK_PATH}`,
    spec: (name) => registry.get(name),
    onChanged: changed,
  });
  const source = new RemoteSource({
    registry,
    secrets,
    oauth,
    secretsEpoch: (name) => epochs.get(name) ?? 0,
    onChanged: (listener) => {
      sourceListeners.add(listener);
      return () => sourceListeners.delete(listener);
    },
  });

  function view(spec: RemoteSpec): RemoteView {
    const name = spec.name;
    const up = pool?.list().find((u) => u.server === name);
    const usesOAuth = spec.auth.type === 'oauth';
    const signedIn = usesOAuth ? oauth.hasTokens(name) : undefined;
    let state: RemoteView['state'];
    let reason: string | undefined;
    if (usesOAuth && !signedIn) {
      state = 'signed-out';
      reason = oauth.reason(name);
    } else if (!pool) state = 'unknown';
    else if (!up) state = 'connecting';
    else {
      state = up.state;
      reason = up.reason ?? (usesOAuth ? oauth.reason(name) : undefined);
    }
    const transport = source.detected(spec) ?? (spec.transport === 'auto' ? undefined : spec.transport);
    const expiresAt = usesOAuth ? oauth.expiresAt(name) : undefined;
    const signInUrl = usesOAuth ? oauth.signInUrl(name) : undefined;
    return {
      spec,
      state,
      ...(reason ? { reason } : {}),
      ...(transport ? { transport } : {}),
      tools:
        up?.state === 'ready'
          ? up.tools.map((t) => ({
              name: t.name,
              ...(t.description !== undefined ? { description: t.description } : {}),
            }))
          : [],
      secretsSet: secrets.names(name).filter((n) => !isOAuthSlot(n)),
      ...(signedIn !== undefined ? { signedIn } : {}),
      ...(expiresAt !== undefined ? { tokenExpiresAt: new Date(expiresAt).toISOString() } : {}),
      ...(signInUrl ? { signInUrl } : {}),
    };
  }

  const checkSecrets = (spec: RemoteSpec, values: Record<string, string> | undefined) =>
    checkSecretNames(declaredSecrets(spec), values);

  const api: DockImpl['remotes'] = {
    list: async () => registry.list().map(view),
    async add({ spec: input, secretValues }) {
      checkSecrets(remoteSpecSchema.parse(input), secretValues);
      const spec = await registry.add(input);
      await setSecretsOrUndo(secrets, spec.name, secretValues, () => registry.remove(spec.name));
      bump(spec.name);
      changed();
      return view(spec);
    },
    async update({ name, spec: input, secretValues }) {
      checkSecrets(remoteSpecSchema.parse(input), secretValues);
      const before = registry.get(name);
      const spec = await registry.update(name, input);
      if (spec.name !== name) await moveSecrets(secrets, name, spec.name);
      // Tokens and a registration are bound to the authorization server behind the old URL.
      if (before.url !== spec.url || JSON.stringify(before.auth) !== JSON.stringify(spec.auth))
        await oauth.forget(spec.name);
      await setSecrets(secrets, spec.name, secretValues);
      const declared = declaredSecrets(spec);
      for (const key of secrets.names(spec.name))
        if (!isOAuthSlot(key) && !declared.includes(key)) await secrets.remove(spec.name, key);
      bump(spec.name);
      changed();
      return view(spec);
    },
    async remove({ name }) {
      await registry.remove(name);
      await oauth.forget(name).catch(() => undefined);
      await secrets.remove(name);
      changed();
      return null;
    },
    async signIn({ name }) {
      await registry.sync();
      return { authorizationUrl: await oauth.signIn(name) };
    },
    async signOut({ name }) {
      await oauth.signOut(name);
      return view(registry.get(name));
    },
    onChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  return {
    api,
    registry,
    source,
    oauth,
    routes: [
      remoteCallbackRoute(oauth),
      ...(deps.controlToken ? [remoteControlRoute(api, deps.controlToken)] : []),
    ],
    followers: {
      [REMOTES_FILE]: followFile(registry, async () => {
        // A remote another process added connects with the secrets there are now: what a later
        // change of secrets.json is measured against (without it, any write there, such as
        // `gateway --stdio` keeping its token, reconnected every such remote).
        const names = new Set(registry.list().map((r) => r.name));
        for (const name of prints.keys()) if (!names.has(name)) prints.delete(name);
        for (const spec of registry.list())
          if (!prints.has(spec.name)) prints.set(spec.name, await fingerprint(spec));
        changed();
      }),
    },
    observe(next) {
      stopObserving?.();
      pool = next;
      stopObserving = next.onChanged(() => {
        const views = registry.list().map(view);
        for (const l of listeners) l(views);
      });
      changed();
    },
    async secretsChanged() {
      oauth.forgetCached();
      // Only a remote whose own header (or client) secret changed reconnects.
      for (const spec of registry.list()) {
        const print = await fingerprint(spec);
        if (prints.get(spec.name) !== print) bump(spec.name);
        prints.set(spec.name, print);
      }
      changed();
    },
    close() {
      stopObserving?.();
      oauth.close();
    },
  };
}
