import { create } from 'zustand';
import type { DockApi } from '../../../../../shared/contract';
import type { GrantView, IssuedTokenView, OAuthClientView } from '../../../../../shared/oauth-admin';

interface TokensState {
  clients: OAuthClientView[];
  tokens: IssuedTokenView[];
  grants: GrantView[];
  resources: string[];
  error: string | null;
}

const initialState: TokensState = { clients: [], tokens: [], grants: [], resources: [], error: null };
export const useTokensStore = create<TokensState>()(() => ({ ...initialState }));

let api: DockApi | undefined;

export function tokensApi(): DockApi {
  if (!api) throw new Error('tokens sync not started');
  return api;
}

// Core owns clients, grants and tokens; this is a cache refreshed whenever core says they changed.
export function startTokensSync(dock: DockApi): () => void {
  api = dock;
  const stop = dock.oauth.onChanged(() => void refreshTokens());
  void refreshTokens();
  return stop;
}

export async function refreshTokens(): Promise<void> {
  if (!api) return;
  try {
    const [clients, tokens, grants, resources] = await Promise.all([
      api.oauth.clients(),
      api.oauth.tokens(),
      api.oauth.grants(),
      api.oauth.resources(),
    ]);
    useTokensStore.setState({ clients, tokens, grants, resources, error: null });
  } catch (error) {
    useTokensStore.setState({ error: (error as Error).message });
  }
}

export async function runTokensAction(work: (dock: DockApi) => Promise<unknown>): Promise<void> {
  try {
    await work(tokensApi());
    await refreshTokens();
  } catch (error) {
    useTokensStore.setState({ error: (error as Error).message });
  }
}

export function resetTokensStore(): void {
  useTokensStore.setState({ ...initialState });
}
