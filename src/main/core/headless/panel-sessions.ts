import { createHash, randomBytes } from 'node:crypto';
import { tokensMatch } from './session-token';

export interface PanelSessionLimits {
  // Sessions kept at once; the least recently used goes first (each browser that opened the URL has one).
  max: number;
  // A session nobody used for this long is forgotten (an open panel uses its session all the time).
  idleMs: number;
}

export const DEFAULT_PANEL_SESSION_LIMITS: PanelSessionLimits = { max: 32, idleMs: 12 * 60 * 60 * 1000 };

const digest = (secret: string) => createHash('sha256').update(secret).digest('base64url');

// Headless mode's credentials. The token `serve` prints is only ever traded here for a session
// secret of its own; the browser keeps that secret in its storage, which (unlike cookies) is
// separate for every port, so no other local server the browser visits ever receives it.
export class PanelSessions {
  // Keyed by a hash of the secret, so the map holds nothing that opens the panel.
  readonly #sessions = new Map<string, { lastUsed: number }>();

  constructor(
    // The token `serve` prints (in its URL); only ever traded for a session here.
    readonly launchToken: string,
    private readonly limits: PanelSessionLimits = DEFAULT_PANEL_SESSION_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  // Whether the printed token would be accepted (the page is served, and trades it itself).
  exchangeable(offered: string): boolean {
    return tokensMatch(this.launchToken, offered);
  }

  // The launch token for a new session secret; undefined when the token is not this run's.
  exchange(offered: string | undefined | null): string | undefined {
    if (!tokensMatch(this.launchToken, offered)) return undefined;
    this.#sweep();
    while (this.#sessions.size >= this.limits.max) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    const secret = randomBytes(32).toString('base64url');
    this.#sessions.set(digest(secret), { lastUsed: this.now() });
    return secret;
  }

  // True for a live session, which counts as a use of it.
  use(secret: string | undefined | null): boolean {
    if (!secret) return false;
    const key = digest(secret);
    const session = this.#sessions.get(key);
    if (!session) return false;
    if (this.now() - session.lastUsed > this.limits.idleMs) {
      this.#sessions.delete(key);
      return false;
    }
    // Re-inserted so the map's order is least recently used first.
    this.#sessions.delete(key);
    session.lastUsed = this.now();
    this.#sessions.set(key, session);
    return true;
  }

  #sweep(): void {
    const now = this.now();
    for (const [key, session] of this.#sessions)
      if (now - session.lastUsed > this.limits.idleMs) this.#sessions.delete(key);
  }
}
