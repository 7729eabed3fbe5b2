export { ProfilesPane } from './components/ProfilesPane';
export { useProfilesStore, resetProfilesStore } from './lib/profiles-store';
export { startProfilesSync, refreshProfiles } from './lib/profiles-actions';
