import type { Unsubscribe } from '../../../shared/contract-kit';

export interface ConsentAsk {
  uid: string;
  clientId: string;
  clientName: string | undefined;
  redirectUri: string;
  scopes: string[];
  resources: string[];
  // How the client came to be known: it registered itself (RFC 7591) or is named by a metadata
  // document URL. Anyone can do either, so the person deciding is told.
  clientKind: 'registered' | 'metadata-document';
  registeredAt: string | undefined;
}

// One entry of the panel's list: repeats of the same ask collapse into it.
export interface ConsentRequest extends Omit<ConsentAsk, 'registeredAt'> {
  registeredAt?: string;
  redirectHost: string;
  requestedAt: string;
  expiresAt: string;
  repeats: number;
}

export type ConsentDecision = 'allow' | 'deny';
export type ConsentState = 'pending' | 'decided' | 'expired' | 'unknown';
export type AddResult = 'pending' | 'decided' | 'expired' | 'full';

export interface ConsentQueueOptions {
  now?: () => Date;
  // As long as the provider keeps the interaction (INTERACTION_TTL_S), so the page and the
  // dialog expire together.
  ttlMs?: number;
  // Distinct requests waiting at once. Authorization requests need no credential, so without a
  // bound anyone on this machine could bury the panel in dialogs.
  maxPending?: number;
}

export const CONSENT_TTL_MS = 10 * 60 * 1000;
const MAX_PENDING = 20;
// Remembered to tell a late page "expired" instead of asking anew.
const MAX_FINISHED = 1000;

interface Entry {
  key: string;
  view: Omit<ConsentRequest, 'repeats' | 'expiresAt'>;
  // uid -> when it was asked (ms)
  uids: Map<string, number>;
}

const keyOf = (ask: ConsentAsk) =>
  JSON.stringify([ask.clientId, ask.redirectUri, [...ask.scopes].sort(), [...ask.resources].sort()]);

function hostOf(uri: string): string {
  try {
    return new URL(uri).host;
  } catch {
    return uri;
  }
}

// Authorization requests waiting for the person at the panel. The consent page and the app window
// both read and decide from here; the first decision wins and answers every repeat of the ask.
export function createConsentQueue(options: ConsentQueueOptions = {}) {
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlMs ?? CONSENT_TTL_MS;
  const maxPending = options.maxPending ?? MAX_PENDING;
  const entries = new Map<string, Entry>();
  const entryOfUid = new Map<string, Entry>();
  const decided = new Map<string, { decision: ConsentDecision; at: number }>();
  const expired = new Set<string>();
  const listeners = new Set<(requests: ConsentRequest[]) => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const remember = (uid: string) => {
    expired.add(uid);
    if (expired.size > MAX_FINISHED) expired.delete(expired.values().next().value!);
  };
  const viewOf = (entry: Entry): ConsentRequest => ({
    ...entry.view,
    repeats: entry.uids.size,
    expiresAt: new Date(Math.max(...entry.uids.values()) + ttlMs).toISOString(),
  });
  const list = () => [...entries.values()].map(viewOf);
  const emit = () => {
    const current = list();
    for (const listener of listeners) listener(current);
  };

  // Drops what is older than the TTL and wakes up again for the next one to go.
  const sweep = (): boolean => {
    const limit = now().getTime() - ttlMs;
    let changed = false;
    for (const entry of entries.values()) {
      for (const [uid, at] of entry.uids) {
        if (at > limit) continue;
        entry.uids.delete(uid);
        entryOfUid.delete(uid);
        remember(uid);
        changed = true;
      }
      if (entry.uids.size === 0) entries.delete(entry.key);
    }
    for (const [uid, { at }] of decided) {
      if (at > limit) continue;
      decided.delete(uid);
      remember(uid);
    }
    schedule();
    return changed;
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = undefined;
    const times = [...entryOfUid.keys()].map((uid) => entryOfUid.get(uid)!.uids.get(uid)!);
    for (const { at } of decided.values()) times.push(at);
    if (times.length === 0) return;
    const wait = Math.max(0, Math.min(...times) + ttlMs - now().getTime()) + 1;
    timer = setTimeout(() => {
      if (sweep()) emit();
    }, wait);
    timer.unref?.();
  };

  const state = (uid: string): ConsentState => {
    sweep();
    if (entryOfUid.has(uid)) return 'pending';
    if (decided.has(uid)) return 'decided';
    return expired.has(uid) ? 'expired' : 'unknown';
  };

  return {
    add(ask: ConsentAsk): AddResult {
      const current = state(ask.uid);
      if (current !== 'unknown') return current;
      const at = now().getTime();
      const key = keyOf(ask);
      const existing = entries.get(key);
      if (existing) {
        existing.uids.set(ask.uid, at);
        entryOfUid.set(ask.uid, existing);
      } else {
        if (entries.size >= maxPending) return 'full';
        const { registeredAt, ...rest } = ask;
        const entry: Entry = {
          key,
          view: {
            ...rest,
            ...(registeredAt ? { registeredAt } : {}),
            redirectHost: hostOf(ask.redirectUri),
            requestedAt: new Date(at).toISOString(),
          },
          uids: new Map([[ask.uid, at]]),
        };
        entries.set(key, entry);
        entryOfUid.set(ask.uid, entry);
      }
      schedule();
      emit();
      return 'pending';
    },
    list: (): ConsentRequest[] => {
      sweep();
      return list();
    },
    get(uid: string): ConsentRequest | undefined {
      const entry = state(uid) === 'pending' ? entryOfUid.get(uid) : undefined;
      return entry && viewOf(entry);
    },
    state,
    decide(uid: string, decision: ConsentDecision): boolean {
      if (state(uid) !== 'pending') return false;
      const entry = entryOfUid.get(uid)!;
      const at = now().getTime();
      for (const each of entry.uids.keys()) {
        entryOfUid.delete(each);
        decided.set(each, { decision, at });
      }
      entries.delete(entry.key);
      schedule();
      emit();
      return true;
    },
    // Taken once by the page that finishes the interaction.
    takeDecision(uid: string): ConsentDecision | undefined {
      const decision = decided.get(uid)?.decision;
      decided.delete(uid);
      return decision;
    },
    onChange(listener: (requests: ConsentRequest[]) => void): Unsubscribe {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close(): void {
      clearTimeout(timer);
      listeners.clear();
    },
  };
}

export type ConsentQueue = ReturnType<typeof createConsentQueue>;
