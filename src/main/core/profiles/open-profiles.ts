import type { DockImpl } from '../../../shared/contract';
import type { Unsubscribe } from '../../../shared/contract-kit';
import { profilePath, type Profile, type ProfileView } from '../../../shared/profiles';
import { ServerNotFoundError } from '../errors';
import { followFile, type FileFollowers } from '../store/follow-file';
import { PROFILES_FILE, ProfileStore } from './profile-store';

export interface ProfilesDeps {
  dataDir: string;
  // Where the gateway is reached: a profile's endpoint is <issuer>/mcp/p/<name>.
  issuer: string;
  // The servers there are (containers and remotes), and word when that changes.
  serverNames: () => string[];
  onServersChanged: (listener: () => void) => Unsubscribe;
}

export interface Profiles {
  store: ProfileStore;
  api: DockImpl['profiles'];
  followers: FileFollowers;
  close(): Promise<void>;
}

// The profiles capability: profiles.json, and what the panel and the CLI see of it. The gateway
// serves each profile at its own endpoint.
export async function openProfiles(deps: ProfilesDeps): Promise<Profiles> {
  const store = await ProfileStore.open(deps.dataDir);
  const view = (profile: Profile): ProfileView => {
    const known = new Set(deps.serverNames());
    const named = [...profile.servers, ...profile.tools.map((t) => t.server)];
    return {
      ...profile,
      url: `${deps.issuer}${profilePath(profile.name)}`,
      missingServers: [...new Set(named.filter((s) => !known.has(s)))],
    };
  };
  const views = () => store.list().map(view);
  // A server named for the first time must exist; one the profile held before may have gone (its
  // tools come back with it), and an edit must not fail over it.
  const checkServers = (profile: Profile, before?: Profile) => {
    const known = new Set(deps.serverNames());
    const held = new Set(before ? [...before.servers, ...before.tools.map((t) => t.server)] : []);
    for (const server of [...profile.servers, ...profile.tools.map((t) => t.server)])
      if (!known.has(server) && !held.has(server)) throw new ServerNotFoundError(server);
  };
  const listeners = new Set<(list: ProfileView[]) => void>();
  const emit = () => {
    if (listeners.size === 0) return;
    const list = views();
    for (const listener of listeners) listener(list);
  };
  const stops = [store.onChange(emit), deps.onServersChanged(emit)];

  const api: DockImpl['profiles'] = {
    list: async () => views(),
    add: async (profile) => {
      checkServers(profile);
      return view(await store.add(profile));
    },
    update: async ({ name, profile }) => {
      checkServers(profile, store.find(name));
      return view(await store.update(name, profile));
    },
    remove: async ({ name }) => {
      await store.remove(name);
      return null;
    },
    onChanged: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    store,
    api,
    followers: { [PROFILES_FILE]: followFile(store) },
    async close() {
      stops.forEach((stop) => stop());
    },
  };
}
