export { openProfiles } from './open-profiles';
export type { Profiles, ProfilesDeps } from './open-profiles';
export { ProfileStore, PROFILES_FILE } from './profile-store';
export { ProfileExistsError, ProfileNotFoundError } from './profile-errors';
export { everything, profileSelection } from './tool-selection';
export type { ToolSelection } from './tool-selection';
