import { create } from 'zustand';
import type { ProfileView } from '../../../../../shared/profiles';

interface ProfilesState {
  // Core's profiles: a cache, refreshed by pushes.
  views: ProfileView[];
  loaded: boolean;
  // The last failed removal per profile, said on its card.
  errors: Record<string, string>;
}

const initialState: ProfilesState = { views: [], loaded: false, errors: {} };

export const useProfilesStore = create<ProfilesState>()(() => ({ ...initialState }));

export function setProfileViews(views: ProfileView[]): void {
  useProfilesStore.setState({ views, loaded: true });
}

export function setProfileError(name: string, message: string | undefined): void {
  useProfilesStore.setState((s) => {
    const errors = { ...s.errors };
    if (message) errors[name] = message;
    else delete errors[name];
    return { errors };
  });
}

export function resetProfilesStore(): void {
  useProfilesStore.setState({ ...initialState });
}
