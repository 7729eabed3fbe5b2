import { randomBytes } from 'node:crypto';
import type { auth as sdkAuth, OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { z } from 'zod';
import type { RemoteSpec } from '../../../shared/remotes';
import type { SecretStore } from '../secrets/secret-store';
import { APP_VERSION } from '../version';
import { RemoteAuthError, RemoteSignInRequiredError } from './remote-errors';

// Slots in the remote's part of the secret store. A "." cannot occur in a user's secret name, so
// these never clash with a header secret and are never listed as one.
const TOKENS = 'oauth.tokens';
const CLIENT = 'oauth.client';
export const isOAuthSlot = (name: string) => name.startsWith('oauth.');

// What is read back of what the SDK's auth() saved (its own schemas would load the SDK into every
// CLI command that lists servers).
const tokensSchema = z
  .object({
    access_token: z.string(),
    token_type: z.string(),
    expires_in: z.number().optional(),
    refresh_token: z.string().optional(),
    scope: z.string().optional(),
  })
  .passthrough();
const clientInformationSchema = z
  .object({ client_id: z.string(), client_secret: z.string().optional() })
  .passthrough();
const storedTokensSchema = z.object({
  tokens: tokensSchema,
  savedAt: z.number().optional(),
  // When the access token stops working (from expires_in at the time it was saved).
  expiresAt: z.number().optional(),
});

// How long before it lapses a token is refreshed: a minute, or a quarter of its life when that is
// shorter (a 60-second token is not refreshed every second), so no call goes out on a token about
// to lapse.
export function refreshAhead(savedAt: number | undefined, expiresAt: number): number {
  const life = savedAt === undefined ? Infinity : expiresAt - savedAt;
  return Math.min(60_000, life / 4);
}
// After a refresh that failed without being refused, the next is tried this much later.
const RETRY_REFRESH_MS = 60_000;
// A sign-in the user never finishes is dropped after this.
const SIGN_IN_TTL_MS = 10 * 60_000;

export const REMOTE_CALLBACK_PATH = '/oauth/remote/callback';

interface PendingSignIn {
  server: string;
  verifier: string | undefined;
  authorizationUrl: string | undefined;
  timer: NodeJS.Timeout;
}

export interface RemoteOAuthDeps {
  secrets: SecretStore;
  // Where the authorization server sends the browser back: this app's own callback route.
  redirectUrl: () => string;
  spec: (name: string) => RemoteSpec;
  // Tokens were saved or dropped: the remote's views and sessions follow.
  onChanged: (server: string) => void;
  now?: () => number;
}

// The SDK's auth(), loaded when a sign-in or a refresh needs it.
async function auth(...args: Parameters<typeof sdkAuth>) {
  return (await import('@modelcontextprotocol/sdk/client/auth.js')).auth(...args);
}

// MCP Dock as an OAuth client of remote MCP servers, per the MCP authorization spec: the SDK's
// auth() does protected-resource metadata discovery, client registration (a pre-registered client
// id, or dynamic registration), PKCE and the token requests; this class keeps what it saves in
// the secret store (encrypted), refreshes access tokens before they expire, and holds sign-ins
// that wait for the user's browser to come back to the callback route.
export class RemoteOAuth {
  readonly #pending = new Map<string, PendingSignIn>();
  readonly #refreshTimers = new Map<string, NodeJS.Timeout>();
  readonly #reasons = new Map<string, string>();
  readonly #expiry = new Map<string, number>();
  readonly #cache = new Map<string, z.infer<typeof storedTokensSchema>>();
  readonly #refreshing = new Map<string, Promise<void>>();
  readonly #failedUntil = new Map<string, { until: number; reason: string }>();
  readonly #now: () => number;

  constructor(private readonly deps: RemoteOAuthDeps) {
    this.#now = deps.now ?? Date.now;
  }

  // The provider a transport uses in the background: it may refresh, but never starts a sign-in.
  provider(server: string): OAuthClientProvider {
    return this.#provider(server, undefined);
  }

  async stored(server: string): Promise<z.infer<typeof storedTokensSchema> | undefined> {
    // The transport asks for the token on every request: decrypted once, then held until it
    // changes (saved, dropped, or secrets.json changed under us: forgetCached).
    const cached = this.#cache.get(server);
    if (cached) return cached;
    const raw = (await this.deps.secrets.values(server, [TOKENS]))[TOKENS];
    if (raw === undefined) return undefined;
    const parsed = storedTokensSchema.safeParse(safeJson(raw));
    if (!parsed.success) return undefined;
    if (parsed.data.expiresAt !== undefined) this.#expiry.set(server, parsed.data.expiresAt);
    this.#cache.set(server, parsed.data);
    return parsed.data;
  }

  // Another process changed the secret store (a sign-out from the CLI).
  forgetCached(): void {
    this.#cache.clear();
  }

  hasTokens(server: string): boolean {
    return this.deps.secrets.names(server).includes(TOKENS);
  }

  // When the stored access token lapses, as far as this process has seen it.
  expiresAt(server: string): number | undefined {
    return this.hasTokens(server) ? this.#expiry.get(server) : undefined;
  }

  // Why the last refresh or sign-in failed, shown on the card until the next success.
  reason(server: string): string | undefined {
    return this.#reasons.get(server);
  }

  signInUrl(server: string): string | undefined {
    for (const p of this.#pending.values()) if (p.server === server) return p.authorizationUrl;
    return undefined;
  }

  // Before a session opens: a token about to lapse is refreshed now. A refresh that the
  // authorization server refuses drops the tokens: the user must consent again.
  async ensureFresh(server: string): Promise<void> {
    const stored = await this.stored(server);
    if (!stored) throw new RemoteSignInRequiredError(server, 'not signed in');
    const { expiresAt, savedAt } = stored;
    if (expiresAt === undefined || expiresAt - this.#now() > refreshAhead(savedAt, expiresAt)) {
      this.#schedule(server, savedAt, expiresAt);
      return;
    }
    // A refresh that failed for a while (the authorization server away) is not tried again at
    // every reconnect of the pool: the session waits with that reason until the next attempt.
    const failed = this.#failedUntil.get(server);
    if (failed && failed.until > this.#now()) throw new RemoteAuthError(server, failed.reason);
    await this.refresh(server);
  }

  // One refresh per remote at a time: the timer, session opens and the card all join it (two
  // refreshes with a rotating refresh token would have the second refused, and sign the user out).
  refresh(server: string): Promise<void> {
    const running = this.#refreshing.get(server);
    if (running) return running;
    const work = this.#refresh(server).finally(() => this.#refreshing.delete(server));
    this.#refreshing.set(server, work);
    return work;
  }

  async #refresh(server: string): Promise<void> {
    const spec = this.deps.spec(server);
    const stored = await this.stored(server);
    if (!stored?.tokens.refresh_token) {
      await this.#drop(server, 'the access token expired and there is no refresh token');
      throw new RemoteSignInRequiredError(server, 'the access token expired');
    }
    try {
      const result = await auth(this.provider(server), { serverUrl: spec.url });
      if (result !== 'AUTHORIZED') throw new RemoteSignInRequiredError(server, 'the refresh was refused');
      this.#reasons.delete(server);
      this.#failedUntil.delete(server);
    } catch (error) {
      // The SDK drops the tokens itself when the server refuses the refresh (invalid_grant);
      // when the server is away or failing it goes on to ask for a sign-in, with the tokens
      // still there: those are kept, and tried again later.
      const refused = !this.hasTokens(server);
      if (refused) {
        await this.#drop(server, 'the refresh was refused; sign in again');
        throw error instanceof RemoteSignInRequiredError
          ? error
          : new RemoteSignInRequiredError(server, 'the refresh was refused');
      }
      const reason = `refreshing the token failed (${error instanceof RemoteSignInRequiredError ? 'the authorization server did not answer the refresh' : messageOf(error)}); trying again in a minute`;
      this.#reasons.set(server, reason);
      this.#failedUntil.set(server, { until: this.#now() + RETRY_REFRESH_MS, reason });
      this.#schedule(server, undefined, this.#now() + RETRY_REFRESH_MS + 60_000);
      this.deps.onChanged(server);
      throw new RemoteAuthError(server, reason, { cause: error });
    }
  }

  // Starts an authorization: discovery, registration, PKCE; answers the URL for the user's browser.
  async signIn(server: string): Promise<string> {
    const spec = this.deps.spec(server);
    if (spec.auth.type !== 'oauth') throw new RemoteAuthError(server, 'it does not use OAuth');
    for (const [state, p] of this.#pending) if (p.server === server) this.#forget(state);
    const state = randomBytes(24).toString('base64url');
    const pending: PendingSignIn = {
      server,
      verifier: undefined,
      authorizationUrl: undefined,
      timer: setTimeout(() => this.#forget(state), SIGN_IN_TTL_MS).unref(),
    };
    this.#pending.set(state, pending);
    try {
      // Scopes the user configured win over what the server advertises.
      const scope = spec.auth.scopes?.length ? spec.auth.scopes.join(' ') : undefined;
      const result = await auth(this.#provider(server, { state, pending }), {
        serverUrl: spec.url,
        ...(scope ? { scope } : {}),
      });
      if (result === 'AUTHORIZED' || !pending.authorizationUrl)
        throw new RemoteAuthError(server, 'the authorization server issued no authorization URL');
      this.deps.onChanged(server);
      return pending.authorizationUrl;
    } catch (error) {
      this.#forget(state);
      if (error instanceof RemoteAuthError) throw error;
      throw new RemoteAuthError(server, messageOf(error), { cause: error });
    }
  }

  // The browser came back to the callback route. Answers the server's name on success.
  async complete(query: {
    state?: string | undefined;
    code?: string | undefined;
    error?: string | undefined;
    errorDescription?: string | undefined;
  }): Promise<string> {
    const pending = query.state ? this.#pending.get(query.state) : undefined;
    if (!pending || !query.state)
      throw new RemoteAuthError('?', 'this sign-in is unknown or expired; start it again from MCP Dock');
    this.#forget(query.state);
    const server = pending.server;
    if (query.error) {
      const reason = `${query.error}${query.errorDescription ? `: ${query.errorDescription}` : ''}`;
      this.#reasons.set(server, `sign-in refused: ${reason}`);
      this.deps.onChanged(server);
      throw new RemoteAuthError(server, reason);
    }
    if (!query.code) throw new RemoteAuthError(server, 'the redirect carried no authorization code');
    try {
      const result = await auth(this.#provider(server, { state: query.state, pending }), {
        serverUrl: this.deps.spec(server).url,
        authorizationCode: query.code,
      });
      if (result !== 'AUTHORIZED') throw new RemoteAuthError(server, 'the code exchange did not authorize');
      this.#reasons.delete(server);
      this.#failedUntil.delete(server);
      this.deps.onChanged(server);
      return server;
    } catch (error) {
      this.#reasons.set(server, `sign-in failed: ${messageOf(error)}`);
      this.deps.onChanged(server);
      throw error instanceof RemoteAuthError
        ? error
        : new RemoteAuthError(server, messageOf(error), { cause: error });
    }
  }

  async signOut(server: string): Promise<void> {
    for (const [state, p] of this.#pending) if (p.server === server) this.#forget(state);
    this.#unschedule(server);
    this.#reasons.delete(server);
    this.#cache.delete(server);
    await this.deps.secrets.remove(server, TOKENS);
    this.deps.onChanged(server);
  }

  // The remote's registration is bound to its URL's authorization server: a new URL starts over.
  async forget(server: string): Promise<void> {
    await this.signOut(server);
    await this.deps.secrets.remove(server, CLIENT);
  }

  close(): void {
    for (const state of [...this.#pending.keys()]) this.#forget(state);
    for (const server of [...this.#refreshTimers.keys()]) this.#unschedule(server);
  }

  #provider(
    server: string,
    signIn: { state: string; pending: PendingSignIn } | undefined,
  ): OAuthClientProvider {
    const { secrets } = this.deps;
    const spec = this.deps.spec(server);
    const oauth = spec.auth.type === 'oauth' ? spec.auth : undefined;
    const redirectUrl = this.deps.redirectUrl();
    const metadata: OAuthClientMetadata = {
      client_name: `MCP Dock (${server})`,
      client_uri: 'https://github.com/mcp-dock',
      software_id: 'mcp-dock',
      software_version: APP_VERSION,
      redirect_uris: [redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: oauth?.clientSecret ? 'client_secret_post' : 'none',
      ...(oauth?.scopes?.length ? { scope: oauth.scopes.join(' ') } : {}),
    };
    return {
      redirectUrl,
      ...(oauth?.clientMetadataUrl ? { clientMetadataUrl: oauth.clientMetadataUrl } : {}),
      clientMetadata: metadata,
      state: () => {
        if (!signIn) throw new RemoteSignInRequiredError(server, 'not signed in');
        return signIn.state;
      },
      clientInformation: async (): Promise<OAuthClientInformationMixed | undefined> => {
        const saved = (await secrets.values(server, [CLIENT]))[CLIENT];
        const parsed = saved ? clientInformationSchema.safeParse(safeJson(saved)) : undefined;
        // A registration made for another redirect (the app's port changed) is made again.
        const redirects = parsed?.success ? parsed.data.redirect_uris : undefined;
        const stale = Array.isArray(redirects) && !redirects.includes(redirectUrl);
        if (parsed?.success && !stale) return parsed.data;
        if (!oauth?.clientId) return undefined;
        const secret = oauth.clientSecret
          ? (await secrets.values(server, [oauth.clientSecret]))[oauth.clientSecret]
          : undefined;
        return { client_id: oauth.clientId, ...(secret ? { client_secret: secret } : {}) };
      },
      saveClientInformation: async (info) => {
        await secrets.set(server, CLIENT, JSON.stringify(info));
      },
      // A sign-in asks the user even with tokens stored (they would be refreshed instead); the
      // stored ones keep working until the new ones replace them.
      tokens: async () =>
        signIn ? undefined : ((await this.stored(server))?.tokens as OAuthTokens | undefined),
      saveTokens: async (tokens) => {
        const savedAt = this.#now();
        const expiresAt = tokens.expires_in !== undefined ? savedAt + tokens.expires_in * 1000 : undefined;
        const saved = { tokens, savedAt, ...(expiresAt ? { expiresAt } : {}) };
        await secrets.set(server, TOKENS, JSON.stringify(saved));
        // Held as saved: a read that raced the write must not keep the old token in the cache.
        this.#cache.set(server, saved as z.infer<typeof storedTokensSchema>);
        if (expiresAt !== undefined) this.#expiry.set(server, expiresAt);
        else this.#expiry.delete(server);
        this.#schedule(server, savedAt, expiresAt);
        this.deps.onChanged(server);
      },
      redirectToAuthorization: (url) => {
        // In the background a refresh that ends in "authorize again" must not open anything.
        if (!signIn)
          throw new RemoteSignInRequiredError(server, 'the authorization server asks for consent again');
        signIn.pending.authorizationUrl = url.toString();
      },
      saveCodeVerifier: (verifier) => {
        if (signIn) signIn.pending.verifier = verifier;
      },
      codeVerifier: () => {
        if (!signIn?.pending.verifier) throw new RemoteAuthError(server, 'no sign-in is under way');
        return signIn.pending.verifier;
      },
      invalidateCredentials: async (scope) => {
        if (scope === 'all' || scope === 'client') await secrets.remove(server, CLIENT);
        if (scope === 'all' || scope === 'tokens') {
          this.#cache.delete(server);
          await secrets.remove(server, TOKENS);
        }
      },
    };
  }

  async #drop(server: string, reason: string): Promise<void> {
    this.#unschedule(server);
    this.#reasons.set(server, reason);
    this.#cache.delete(server);
    await this.deps.secrets.remove(server, TOKENS).catch(() => undefined);
    this.deps.onChanged(server);
  }

  // One timer per remote, shortly before the access token lapses.
  #schedule(server: string, savedAt: number | undefined, expiresAt: number | undefined): void {
    this.#unschedule(server);
    if (expiresAt === undefined) return;
    // setTimeout holds at most 2^31-1 ms; a longer-lived token is looked at again then.
    const due = expiresAt - refreshAhead(savedAt, expiresAt) - this.#now();
    const delay = Math.min(2 ** 31 - 1, Math.max(1000, due));
    const timer = setTimeout(() => {
      this.#refreshTimers.delete(server);
      void this.refresh(server).catch(() => undefined);
    }, delay);
    timer.unref();
    this.#refreshTimers.set(server, timer);
  }

  #unschedule(server: string): void {
    clearTimeout(this.#refreshTimers.get(server));
    this.#refreshTimers.delete(server);
  }

  #forget(state: string): void {
    const pending = this.#pending.get(state);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(state);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
