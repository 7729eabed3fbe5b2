import { create } from 'zustand';
import type { RemoteView } from '../../../../../shared/remotes';

interface RemotesState {
  // Core's view of every remote server: a cache, refreshed by pushes.
  views: RemoteView[];
  loaded: boolean;
  // The last failed action per remote (sign in, remove), said on its card.
  errors: Record<string, string>;
  // Sign-ins under way: the URL to open, in case the browser did not open by itself.
  signingIn: Record<string, string>;
}

const initialState: RemotesState = { views: [], loaded: false, errors: {}, signingIn: {} };

export const useRemotesStore = create<RemotesState>()(() => ({ ...initialState }));

export function setRemoteViews(views: RemoteView[]): void {
  useRemotesStore.setState((s) => {
    // A sign-in that ended (tokens stored) no longer needs its link.
    const signingIn = Object.fromEntries(
      Object.entries(s.signingIn).filter(([name]) => views.some((v) => v.spec.name === name && !v.signedIn)),
    );
    return { views, loaded: true, signingIn };
  });
}

export function setRemoteError(name: string, message: string | undefined): void {
  useRemotesStore.setState((s) => {
    const errors = { ...s.errors };
    if (message) errors[name] = message;
    else delete errors[name];
    return { errors };
  });
}

export function setSigningIn(name: string, url: string | undefined): void {
  useRemotesStore.setState((s) => {
    const signingIn = { ...s.signingIn };
    if (url) signingIn[name] = url;
    else delete signingIn[name];
    return { signingIn };
  });
}

export function resetRemotesStore(): void {
  useRemotesStore.setState({ ...initialState });
}
