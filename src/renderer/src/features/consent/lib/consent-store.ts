import { create } from 'zustand';
import type { DockApi } from '../../../../../shared/contract';
import type { ConsentRequestView } from '../../../../../shared/oauth';

interface ConsentState {
  pending: ConsentRequestView[];
  error: string | null;
}

const initialState: ConsentState = { pending: [], error: null };
export const useConsentStore = create<ConsentState>()(() => ({ ...initialState }));

let api: DockApi | undefined;

export function startConsentSync(dock: DockApi): () => void {
  api = dock;
  // A push that lands while the first read is under way is newer than that read's answer.
  let pushed = false;
  const stop = dock.oauth.onConsents((pending) => {
    pushed = true;
    useConsentStore.setState({ pending });
  });
  void dock.oauth.consents().then(
    (pending) => {
      if (!pushed) useConsentStore.setState({ pending });
    },
    () => undefined,
  );
  return stop;
}

export async function decideConsent(uid: string, decision: 'allow' | 'deny'): Promise<void> {
  if (!api) return;
  try {
    await api.oauth.decideConsent({ uid, decision });
    useConsentStore.setState((s) => ({ pending: s.pending.filter((c) => c.uid !== uid), error: null }));
  } catch (error) {
    useConsentStore.setState({ error: (error as Error).message });
  }
}

export function resetConsentStore(): void {
  useConsentStore.setState({ ...initialState });
}
