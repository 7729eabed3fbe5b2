import type { Unsubscribe } from '../../../shared/contract-kit';

export interface ConsentRequest {
  uid: string;
  clientId: string;
  clientName: string | undefined;
  redirectUri: string;
  scopes: string[];
  resources: string[];
  requestedAt: string;
}

export type ConsentDecision = 'allow' | 'deny';

// Authorization requests waiting for the person at the panel. The consent page and the app window
// both read and decide from here; the first decision wins.
export function createConsentQueue(now: () => Date = () => new Date()) {
  const pending = new Map<string, ConsentRequest>();
  const decided = new Map<string, ConsentDecision>();
  const listeners = new Set<(requests: ConsentRequest[]) => void>();
  const emit = () => {
    const list = [...pending.values()];
    for (const listener of listeners) listener(list);
  };
  return {
    add(request: Omit<ConsentRequest, 'requestedAt'>): void {
      if (pending.has(request.uid) || decided.has(request.uid)) return;
      pending.set(request.uid, { ...request, requestedAt: now().toISOString() });
      emit();
    },
    list: (): ConsentRequest[] => [...pending.values()],
    get: (uid: string) => pending.get(uid),
    decide(uid: string, decision: ConsentDecision): boolean {
      if (!pending.has(uid)) return false;
      pending.delete(uid);
      decided.set(uid, decision);
      emit();
      return true;
    },
    // Taken once by the page that finishes the interaction.
    takeDecision(uid: string): ConsentDecision | undefined {
      const decision = decided.get(uid);
      decided.delete(uid);
      return decision;
    },
    onChange(listener: (requests: ConsentRequest[]) => void): Unsubscribe {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type ConsentQueue = ReturnType<typeof createConsentQueue>;
